"""The archive's search runs on the index the migration builds (FTS5 trigrams on SQLite,
pg_trgm on PostgreSQL) and means what it always meant: every word, case-insensitive,
anywhere in the client's name, the conflict or the rationale; kept current by triggers."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from app.extensions import db
from app.services import archive
from app.services.archive import ArchiveFilters
from tests.archive_factory import at, decide


@pytest.fixture
def people(make_user, make_client):
    lead = make_user("lead")
    return lead, [make_user("member") for _ in range(3)], make_client


def found(lead, q: str) -> list[int]:
    return [row.id for row in archive.list_decisions(lead, ArchiveFilters(q=q)).rows]


def test_every_word_must_occur_somewhere_in_name_conflict_or_rationale(people):
    lead, team, make_client = people
    harbour = make_client("Harbour Studio ApS", actor=lead)
    both = decide(
        lead,
        team,
        harbour,
        when=at("2026-01-05"),
        rationale="Paid late again.",
        conflict="Unpaid invoices since spring.",
    )
    other = decide(
        lead,
        team,
        make_client("Fjord Media", actor=lead),
        when=at("2026-01-06"),
        rationale="Scope grew.",
        conflict="Unpaid invoices.",
    )
    assert found(lead, "harbour") == [both.id]
    assert found(lead, "UNPAID spring") == [both.id]
    assert found(lead, "unpaid") == [other.id, both.id]
    assert found(lead, "studio scope") == []  # each word matches, but not in one decision
    assert found(lead, "nvoic") == [other.id, both.id]  # substrings, as before


def test_short_words_and_special_characters_are_literal(people):
    lead, team, make_client = people
    odd = decide(
        lead,
        team,
        make_client("100% Ltd", actor=lead),
        when=at("2026-02-01"),
        rationale='He said "never" and_so_on.',
    )
    decide(lead, team, make_client("Plain Ltd", actor=lead), when=at("2026-02-02"))
    assert found(lead, "100%") == [odd.id]
    assert found(lead, "%") == [odd.id]
    assert found(lead, "_so_") == [odd.id]
    assert found(lead, '"never"') == [odd.id]
    assert found(lead, "he") == [odd.id]  # two letters: no trigram, still found


def test_letters_beyond_ascii_match_in_either_case_on_postgresql_and_in_fts(people):
    lead, team, make_client = people
    danish = decide(lead, team, make_client("Ærø Økologi", actor=lead), when=at("2026-03-01"))
    assert found(lead, "ærø") == [danish.id]
    assert found(lead, "ØKOLOGI") == [danish.id]


def test_a_renamed_client_is_found_by_its_new_name(people):
    lead, team, make_client = people
    client = make_client("Old Name Ltd", actor=lead)
    decision = decide(lead, team, client, when=at("2026-04-01"))
    db.session.execute(
        text("UPDATE clients SET name = 'Brand New Ltd' WHERE id = :id"), {"id": client.id}
    )
    db.session.commit()
    assert found(lead, "brand new") == [decision.id]
    assert found(lead, "old name") == []


def test_a_member_searches_only_what_they_may_see(people, make_user):
    lead, team, make_client = people
    seen = decide(lead, team, make_client("Seen Ltd", actor=lead), when=at("2026-05-01"))
    others = [make_user("member") for _ in range(3)]
    decide(lead, others, make_client("Unseen Ltd", actor=lead), when=at("2026-05-02"))
    assert [r.id for r in archive.list_decisions(team[0], ArchiveFilters(q="ltd")).rows] == [
        seen.id
    ]
