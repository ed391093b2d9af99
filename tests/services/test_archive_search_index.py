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


def _search_row(decision_id: int) -> tuple:
    return db.session.execute(
        text(
            "SELECT decided_at, decided_by_id, outcomes, members FROM decision_search"
            " WHERE decision_id = :id"
        ),
        {"id": decision_id},
    ).one()


@pytest.mark.postgres_only  # the search table holds the filters on PostgreSQL only
def test_the_search_table_holds_each_decisions_filters_through_a_rename(people):
    """PostgreSQL: the date, lead, outcome filters met and the team (who may see it),
    written by the trigger with the decision and kept when the words are rewritten."""
    lead, team, make_client = people
    client = make_client("Filtered Ltd", actor=lead)
    confirmed = decide(lead, team, client, when=at("2026-06-01"), outcomes={"muddy": "confirmed"})
    one_sided = decide(lead, team, client, when=at("2026-06-02"), waiver="Unreachable.")
    team_ids = sorted(member.id for member in team)
    assert _search_row(confirmed.id) == (
        confirmed.decided_at,
        lead.id,
        ["confirmed"],
        team_ids,
    )
    assert one_sided.one_sided and not one_sided.any_confirmed
    assert _search_row(one_sided.id)[2:] == (["not_confirmed", "one_sided"], team_ids)
    db.session.execute(
        text("UPDATE clients SET name = 'Renamed Ltd' WHERE id = :id"), {"id": client.id}
    )
    db.session.commit()
    assert _search_row(confirmed.id)[2:] == (["confirmed"], team_ids)


@pytest.mark.postgres_only
def test_a_team_changed_after_the_decision_changes_who_finds_it(people, make_user):
    """PostgreSQL: the app never changes a decided review's team, but whoever does (a
    console) changes the member scope the search table holds as well."""
    lead, team, make_client = people
    decision = decide(lead, team, make_client("Team Ltd", actor=lead), when=at("2026-07-01"))
    newcomer = make_user("member")

    def finds(member) -> list[int]:
        page = archive.list_decisions(member, ArchiveFilters(q="team"))
        return [row.id for row in page.rows]

    assert finds(newcomer) == []
    db.session.execute(
        text(
            "INSERT INTO review_participants (review_id, user_id, label)"
            " VALUES (:review, :user, 'Member Z')"
        ),
        {"review": decision.review_id, "user": newcomer.id},
    )
    db.session.execute(
        text("DELETE FROM review_participants WHERE review_id = :review AND user_id = :user"),
        {"review": decision.review_id, "user": team[0].id},
    )
    db.session.commit()
    assert finds(newcomer) == [decision.id]
    assert finds(team[0]) == []
    assert _search_row(decision.id)[3] == sorted([newcomer.id, team[1].id, team[2].id])
