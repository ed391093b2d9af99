"""The archive through its services: filters, search, pagination, scope, the snapshot,
exports. (The chain and its verification: test_archive_chain.py.)"""

from datetime import date

import pytest

from app.archive.present import present_snapshot
from app.domain.catalogue_default import default_catalogue_document
from app.extensions import db
from app.models import User
from app.services import archive, archive_export
from app.services.archive import ArchiveFilters
from app.services.archive_verify import verify_archive
from app.services.catalogue import publish_catalogue
from app.services.clients import update_client
from app.services.errors import NotFound
from tests.archive_factory import at, decide, stored_record


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
