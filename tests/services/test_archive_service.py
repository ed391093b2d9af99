"""The archive through its services: filters, search, pagination, scope, immutability, chain."""

import hashlib
from datetime import date

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from app.archive.present import present_snapshot
from app.domain.catalogue_default import default_catalogue_document
from app.domain.record import seal
from app.domain.snapshot import canonical_json
from app.extensions import db
from app.models import Decision, User
from app.services import archive, archive_export
from app.services.archive import ArchiveFilters
from app.services.archive_problems import Problem
from app.services.archive_verify import current_head, verify_archive, verify_one
from app.services.catalogue import publish_catalogue
from app.services.clients import update_client
from app.services.errors import NotFound
from app.services.records import facts_of
from tests.archive_factory import at, decide, rewrite_record, stored_record, tamper


@pytest.fixture
def world(make_user, make_client):
    """Four decisions on three clients by two leads and two teams (newest last)."""
    lena = make_user("lead", name="Lena Lead")
    leo = make_user("lead", name="Leo Lead")
    team_a = [make_user("member") for _ in range(3)]
    team_b = [make_user("member") for _ in range(3)]
    acme = make_client("Acme Widgets", actor=lena)
    bolt = make_client("Bolt Media", actor=lena)
    cmd = make_client("+cmd Corp", actor=lena)
    d1 = decide(
        lena,
        team_a,
        acme,
        when=at("2026-01-05"),
        outcomes={"muddy": "confirmed"},
        rationale="Invoices were paid late.",
        conflict="Scope argument over the blog posts.",
    )
    d2 = decide(
        leo,
        team_b,
        bolt,
        when=at("2026-02-10"),
        outcomes={"muddy": "not_confirmed"},
        waiver="Client unreachable.",
        rationale="Cannot tell without the client.",
        conflict="Endless feedback rounds.",
    )
    d3 = decide(
        leo,
        team_a,
        acme,
        when=at("2026-03-15"),
        outcomes={"eternal_debtor": "confirmed", "muddy": "not_confirmed"},
        rationale="Debt keeps growing.",
        conflict="Unpaid invoices since spring.",
    )
    d4 = decide(
        lena,
        team_b,
        cmd,
        when=at("2026-03-20"),
        outcomes={},
        rationale='=HYPERLINK("http://evil.example","click")',
        conflict="100% of posts rejected_by the board.",
    )
    return {
        "lena": lena,
        "leo": leo,
        "team_a": team_a,
        "team_b": team_b,
        "acme": acme,
        "bolt": bolt,
        "cmd": cmd,
        "d": [None, d1, d2, d3, d4],
    }


def ids(user, **filters):
    page = archive.list_decisions(user, ArchiveFilters(**filters), per_page=100)
    return [row.id for row in page.rows]


def test_every_decision_is_listed_newest_first_for_a_lead(world):
    d = world["d"]
    assert ids(world["lena"]) == [d[4].id, d[3].id, d[2].id, d[1].id]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"client": "acme"}, [3, 1]),
        ({"category_key": "muddy"}, [3, 2, 1]),
        ({"category_key": "muddy", "outcome": "confirmed"}, [1]),
        ({"category_key": "muddy", "outcome": "not_confirmed"}, [3, 2]),
        ({"category_key": "eternal_debtor"}, [3]),
        ({"category_key": "controlling"}, []),
        ({"outcome": "confirmed"}, [3, 1]),
        ({"outcome": "not_confirmed"}, [4, 2]),
        ({"outcome": "one_sided"}, [2]),
        ({"outcome": "one_sided", "category_key": "muddy"}, [2]),
        ({"lead": "leo"}, [3, 2]),
        ({"date_from": date(2026, 2, 10), "date_to": date(2026, 3, 15)}, [3, 2]),
        ({"date_to": date(2026, 1, 5)}, [1]),
        ({"date_from": date(2026, 3, 16)}, [4]),
        ({"client": "acme", "lead": "lena"}, [1]),
    ],
)
def test_each_filter_returns_exactly_the_expected_decisions(world, filters, expected):
    filters = dict(filters)
    if "client" in filters:
        filters["client_id"] = world[filters.pop("client")].id
    if "lead" in filters:
        filters["lead_id"] = world[filters.pop("lead")].id
    assert ids(world["lena"], **filters) == [world["d"][n].id for n in expected]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("widgets", [3, 1]),  # client name
        ("ACME", [3, 1]),  # any case
        ("late", [1]),  # rationale
        ("feedback", [2]),  # conflict description
        ("unpaid invoices", [3]),  # every word must occur ("invoices" alone also finds 1)
        ("invoices", [3, 1]),
        ("100%", [4]),  # % and _ are literal, not wildcards
        ("%", [4]),
        ("rejected_by", [4]),
        ("_", [4]),
        ("nothing-like-this", []),
    ],
)
def test_search_finds_words_in_client_names_conflicts_and_rationales(world, q, expected):
    assert ids(world["lena"], q=q) == [world["d"][n].id for n in expected]


def test_members_see_only_decisions_on_reviews_they_took_part_in(world, make_user):
    d = world["d"]
    assert ids(world["team_a"][0]) == [d[3].id, d[1].id]
    assert ids(world["team_b"][2], q="media") == [d[2].id]
    outsider = make_user("member")
    assert ids(outsider) == []
    with pytest.raises(NotFound):
        archive.find_decision(d[1].id, world["team_b"][0])
    with pytest.raises(NotFound):
        archive.find_decision(10_000, world["lena"])
    assert archive.find_decision(d[1].id, world["team_a"][1]).id == d[1].id


def test_an_admin_sees_everything(world, make_user):
    assert len(ids(make_user("admin"))) == 4


def test_earlier_and_later_decisions_on_the_same_client(world):
    d, lena, member_b = world["d"], world["lena"], world["team_b"][0]
    earlier, later = archive.same_client(d[1], lena)
    assert (earlier, [r.id for r in later]) == ([], [d[3].id])
    earlier, later = archive.same_client(d[3], lena)
    assert ([r.id for r in earlier], later) == ([d[1].id], [])
    assert archive.same_client(d[2], member_b) == ([], [])


def test_client_history_lists_reviews_and_decisions_in_order_within_the_viewers_scope(world):
    acme, d = world["acme"], world["d"]
    history = archive.client_history(acme, world["lena"])
    assert [e.review_id for e in history] == [d[1].review_id, d[3].review_id]
    assert [e.decision.id for e in history] == [d[1].id, d[3].id]
    assert history[1].decision.confirmed == ("Eternal debtor",)
    assert archive.client_history(acme, world["team_b"][0]) == []


def test_filter_choices_offer_clients_deciders_and_categories(world):
    choices = archive.filter_choices()
    assert [name for _, name in choices.clients] == ["+cmd Corp", "Acme Widgets", "Bolt Media"]
    assert {name for _, name in choices.leads} >= {"Lena Lead", "Leo Lead"}
    assert ("muddy", "Muddy") in choices.categories


@pytest.fixture
def seven(make_user, make_client):
    lead = make_user("lead")
    team = [make_user("member") for _ in range(3)]
    client = make_client("Paged Ltd", actor=lead)
    days = [
        "2026-01-01",
        "2026-01-02",
        "2026-01-02",
        "2026-01-03",
        "2026-01-04",
        "2026-01-05",
        "2026-01-06",
    ]  # two decisions at the very same moment
    made = [decide(lead, team, client, when=at(day)) for day in days]
    return lead, made


def test_pages_have_no_gaps_and_no_duplicates(seven):
    lead, made = seven
    seen = []
    for number in (1, 2, 3):
        page = archive.list_decisions(lead, ArchiveFilters(), number, per_page=3)
        assert (page.total, page.pages, page.page) == (7, 3, number)
        seen += [row.id for row in page.rows]
    newest_first = sorted(made, key=lambda d: (d.decided_at, d.id), reverse=True)
    assert seen == [d.id for d in newest_first]


def test_a_page_out_of_range_shows_the_nearest_page(seven):
    lead, _ = seven
    assert archive.list_decisions(lead, ArchiveFilters(), 99, per_page=3).page == 3
    assert archive.list_decisions(lead, ArchiveFilters(), -1, per_page=3).page == 1
    empty = archive.list_decisions(lead, ArchiveFilters(q="nothing"), 5, per_page=3)
    assert (empty.total, empty.pages, empty.page, empty.rows) == (0, 1, 1, [])


def test_the_snapshot_is_unchanged_after_catalogue_names_and_client_are_edited(world):
    d1 = world["d"][1]
    before = stored_record(d1.id)
    document = default_catalogue_document()
    document["categories"][0]["name"] = "Foggy"
    document["categories"][0]["description"] = "A rewritten description of a foggy client."
    document["dimensions"][0]["title"] = "A renamed dimension"
    publish_catalogue(document, world["lena"])
    db.session.get(User, world["lena"].id).name = "Lena Renamed"
    db.session.commit()
    update_client(world["acme"].id, "Acme Renamed", "", "", "", world["lena"])

    assert stored_record(d1.id) == before
    shown = present_snapshot(before)
    assert shown["client_name"] == "Acme Widgets" and shown["decided_by"] == "Lena Lead"
    assert [o["name"] for o in shown["outcomes"]] == ["Muddy"]
    assert shown["dimensions"][0]["title"] == "Quality of what we delivered"
    assert verify_archive().ok


def test_named_participants_are_only_those_who_agreed(make_user, make_client):
    lead = make_user("lead")
    team = [make_user("member", name=f"Named {n}") for n in range(3)]
    decision = decide(
        lead, team, make_client(actor=lead), when=at("2026-04-01"), consent_named=True
    )
    assert sorted(present_snapshot(decision.record)["participants"]) == [
        "Named 0",
        "Named 1",
        "Named 2",
    ]
    other = decide(lead, team, make_client(actor=lead), when=at("2026-04-02"))
    assert present_snapshot(other.record)["participants"] == []


def test_the_chain_verifies_then_fails_where_the_record_was_changed(world):
    assert verify_archive().ok and verify_archive().checked == 4
    rewrite_record(3, lambda record: record.update(rationale="Something else entirely."))
    for batch_size in (1000, 2, 1):
        result = verify_archive(batch_size)
        assert not result.ok and result.first_broken_sequence == 3, result
        assert "seal no longer matches" in result.reason
    assert not verify_one(db.session.get(Decision, world["d"][3].id)).ok
    assert verify_one(db.session.get(Decision, world["d"][1].id)).ok


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE decisions SET rationale = 'Rewritten later.' WHERE sequence = 2",
        "UPDATE decisions SET one_sided = :no WHERE sequence = 2",
        "UPDATE decisions SET final_status = 'cleared' WHERE sequence = 2",
        "UPDATE decisions SET waiver_reason = '' WHERE sequence = 2",
        "UPDATE category_decisions SET outcome = 'confirmed' WHERE decision_id = "
        "(SELECT id FROM decisions WHERE sequence = 2)",
        "UPDATE category_decisions SET votes = votes + 1 WHERE decision_id = "
        "(SELECT id FROM decisions WHERE sequence = 2)",
        # who decided, and moving a decision to another client
        "UPDATE decisions SET decided_by_id = (SELECT decided_by_id FROM decisions "
        "WHERE sequence = 1) WHERE sequence = 2",
        "UPDATE decisions SET client_id = (SELECT client_id FROM decisions WHERE sequence = 1) "
        "WHERE sequence = 2",
        "UPDATE decisions SET decided_at = (SELECT decided_at FROM decisions WHERE sequence = 1) "
        "WHERE sequence = 2",
    ],
)
def test_a_row_column_changed_behind_the_apps_back_fails_verification(world, sql):
    tamper(sql, **({"no": False} if ":no" in sql else {}))
    result = verify_archive()
    assert not result.ok and result.first_broken_sequence == 2
    assert "seal no longer matches" in result.reason
    check = verify_one(db.session.get(Decision, world["d"][2].id))
    assert not check.ok and (check.problem, check.sequence) == (Problem.SEAL_BROKEN, 2)


def test_a_removed_decision_breaks_the_chain_at_the_next_one(world):
    victim = world["d"][2].id
    tamper("DELETE FROM category_decisions WHERE decision_id = :id", id=victim)
    tamper("DELETE FROM decisions WHERE id = :id", id=victim)
    result = verify_archive()
    assert not result.ok and result.first_broken_sequence == 3
    assert not verify_one(db.session.get(Decision, world["d"][3].id)).ok


def test_removing_the_newest_decision_is_caught_by_its_decided_review(world):
    newest = world["d"][4].id
    tamper("DELETE FROM category_decisions WHERE decision_id = :id", id=newest)
    tamper("DELETE FROM decisions WHERE id = :id", id=newest)
    result = verify_archive()
    assert not result.ok and "marked decided" in result.reason


def test_removing_the_newest_decision_and_reopening_its_review_is_caught_by_the_head(world):
    head = current_head()
    assert head.sequence == 4 and verify_archive(head=head).ok
    newest, review_id = world["d"][4].id, world["d"][4].review_id
    tamper("DELETE FROM category_decisions WHERE decision_id = :id", id=newest)
    tamper("DELETE FROM decisions WHERE id = :id", id=newest)
    tamper("UPDATE reviews SET state = 'closed' WHERE id = :id", id=review_id)
    assert verify_archive().ok  # without the outside anchor this cannot be seen
    result = verify_archive(head=head)
    assert not result.ok and "newest decisions were removed" in result.reason


def test_a_newest_record_rewritten_with_a_recomputed_plain_digest_fails(world):
    record = stored_record(world["d"][4].id)
    record["rationale"] = "A kinder story."
    text = canonical_json(record)
    previous = world["d"][3].digest
    forged = hashlib.sha256(f"{previous}\n{text}".encode()).hexdigest()
    tamper(
        "UPDATE decisions SET record_text = :t, rationale = 'A kinder story.', digest = :d "
        "WHERE sequence = 4",
        t=text,
        d=forged,
    )
    result = verify_archive()
    assert not result.ok and result.first_broken_sequence == 4


def test_a_whole_chain_rewritten_without_the_key_fails_at_its_first_record(world):
    previous = None
    wrong_key = b"guessed" * 8
    for sequence in (1, 2, 3, 4):
        decision = db.session.scalar(select(Decision).where(Decision.sequence == sequence))
        digest = seal(wrong_key, previous, facts_of(decision), decision.record_text)
        tamper(
            "UPDATE decisions SET digest = :d, previous_digest = :p WHERE sequence = :s",
            d=digest,
            p=previous,
            s=sequence,
        )
        previous = digest
    result = verify_archive()
    assert not result.ok and result.first_broken_sequence == 1


def test_editing_the_answers_of_a_decided_review_fails_verification(world):
    review_id = world["d"][3].review_id
    tamper(
        "UPDATE team_answers SET rating = 1 WHERE response_id IN "
        "(SELECT id FROM team_responses WHERE review_id = :id)",
        id=review_id,
    )
    result = verify_archive()
    assert not result.ok and result.first_broken_sequence == 3
    assert "answers that were changed" in result.reason


def test_deleting_a_decisions_audit_event_fails_verification(world):
    tamper(
        "DELETE FROM audit_events WHERE action = 'review.decided' AND object_id = :id",
        id=world["d"][2].review_id,
    )
    result = verify_archive()
    assert not result.ok and result.first_broken_sequence == 2
    assert "no audit event" in result.reason


def test_the_database_itself_refuses_to_change_a_decision(world):
    with pytest.raises(DBAPIError):
        db.session.execute(text("UPDATE decisions SET rationale = 'x' WHERE sequence = 1"))
    db.session.rollback()
    assert verify_archive().ok


def test_an_empty_archive_verifies():
    result = verify_archive()
    assert result.ok and result.checked == 0


def test_exports_read_in_batches_without_gaps_or_duplicates(seven):
    lead, made = seven
    rows = list(archive_export.export_rows(lead, ArchiveFilters(), batch_size=2))
    newest_first = sorted(made, key=lambda d: (d.decided_at, d.id), reverse=True)
    assert [r["decision_id"] for r in rows] == [d.id for d in newest_first]


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+cmd", "'+cmd"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("plain", "plain"),
        ("a=b", "a=b"),
        (None, ""),
        (7, "7"),
    ],
)
def test_csv_cells_that_start_like_a_formula_are_neutralised(cell, safe):
    assert archive_export.neutralise(cell) == safe


def test_csv_chunks_neutralise_every_cell_including_the_header(monkeypatch):
    monkeypatch.setattr(archive_export, "CSV_COLUMNS", ("=evil", "name"))
    text = "".join(archive_export.csv_chunks(iter([{"=evil": True, "name": ["-a", "b"]}])))
    # Every field quoted (PITFALLS 22), every cell neutralised (PITFALLS 9).
    assert text == '\ufeff"\'=evil","name"\r\n"yes","\'-a; b"\r\n'
