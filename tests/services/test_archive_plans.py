"""The archive's query plans (app/services/archive_plan.py) change what a list costs, never
what it shows: whichever filters SQLite is told to test per row, and whichever way the
size estimate goes, a list holds exactly the decisions a plain Python filter keeps, in
the same newest-first order, with the same count."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.extensions import db
from app.models import CategoryDecision, Decision, Review, ReviewParticipant
from app.services import archive, archive_plan
from app.services.archive_plan import CATEGORY, FLAGS, LEAD, SCOPE, SEARCH
from app.services.archive_query import (
    NEWEST_FIRST,
    ArchiveFilters,
    set_filters,
    visible_decisions,
)
from tests.archive_factory import at, decide

WORDS = ("late", "spring", "scope", "harbour", "acme", "in", "zz")
CATEGORIES = ("muddy", "eternal_debtor", "controlling")
EVERY_PER_ROW = (SCOPE, CATEGORY, SEARCH, LEAD, FLAGS)


@dataclass(frozen=True)
class Known:
    """One decision as the test knows it, read from the tables, not through the archive."""

    id: int
    decided_at: datetime
    client_id: int
    lead_id: int
    one_sided: bool
    any_confirmed: bool
    outcomes: dict
    text: str
    participants: frozenset[int]


@pytest.fixture
def small_archive(make_user, make_client):
    """Eight decisions: two leads, two teams (one member in both), three clients, several
    categories and outcomes, words shared between names, conflicts and rationales."""
    leads = [make_user("lead"), make_user("lead")]
    shared = make_user("member")
    teams = [[shared, make_user("member"), make_user("member")] for _ in range(2)]
    clients = [
        make_client("Acme Harbour", actor=leads[0]),
        make_client("Bolt Media", actor=leads[0]),
        make_client("Spring Works", actor=leads[0]),
    ]
    plans = [
        (0, 0, 0, "2026-01-05", {"muddy": "confirmed"}, "", "Paid late.", "Scope of posts."),
        (1, 1, 1, "2026-01-05", {"muddy": "not_confirmed"}, "No answer.", "Late.", "Feedback."),
        (0, 0, 2, "2026-02-10", {"eternal_debtor": "confirmed"}, "", "In spring.", "Unpaid."),
        (1, 0, 0, "2026-03-01", {}, "", "Nothing found.", "Late invoices in spring."),
        (0, 1, 1, "2026-03-01", {"controlling": "not_confirmed"}, "", "Harbour.", "Scope."),
        (1, 1, 2, "2026-04-12", {"muddy": "confirmed", "controlling": "confirmed"}, "", "", "X"),
        (0, 0, 1, "2026-05-30", {"muddy": "not_confirmed"}, "Gone.", "Acme late.", "Scope."),
        (1, 1, 0, "2026-06-02", {"eternal_debtor": "confirmed"}, "", "Spring harbour.", "In."),
    ]
    for lead, team, client, day, outcomes, waiver, rationale, conflict in plans:
        decide(
            leads[lead],
            teams[team],
            clients[client],
            when=at(day),
            outcomes=outcomes,
            waiver=waiver,
            rationale=rationale or "Decided.",
            conflict=conflict,
        )
    return {"leads": leads, "members": [shared, teams[0][1], teams[1][-1]], "clients": clients}


def _known() -> list[Known]:
    rows = []
    for decision in db.session.scalars(select(Decision)):
        review = db.session.get(Review, decision.review_id)
        outcomes = dict(
            db.session.execute(
                select(CategoryDecision.category_key, CategoryDecision.outcome).where(
                    CategoryDecision.decision_id == decision.id
                )
            ).all()
        )
        participants = db.session.scalars(
            select(ReviewParticipant.user_id).where(ReviewParticipant.review_id == review.id)
        )
        rows.append(
            Known(
                id=decision.id,
                decided_at=decision.decided_at,
                client_id=decision.client_id,
                lead_id=decision.decided_by_id,
                one_sided=decision.one_sided,
                any_confirmed=decision.any_confirmed,
                outcomes=outcomes,
                text=f"{decision.client.name} {review.conflict} {decision.rationale}".lower(),
                participants=frozenset(participants),
            )
        )
    return rows


def _expected(known: list[Known], user, f: ArchiveFilters) -> list[int]:
    def keeps(k: Known) -> bool:
        if not user.is_lead and user.id not in k.participants:
            return False
        if f.client_id is not None and k.client_id != f.client_id:
            return False
        if f.lead_id is not None and k.lead_id != f.lead_id:
            return False
        if f.date_from and k.decided_at.date() < f.date_from:
            return False
        if f.date_to and k.decided_at.date() > f.date_to:
            return False
        if f.outcome == "one_sided" and not k.one_sided:
            return False
        if f.category_key:
            if f.category_key not in k.outcomes:
                return False
            if f.outcome in ("confirmed", "not_confirmed"):
                if k.outcomes[f.category_key] != f.outcome:
                    return False
        elif f.outcome in ("confirmed", "not_confirmed"):
            if k.any_confirmed != (f.outcome == "confirmed"):
                return False
        return all(term.lower() in k.text for term in f.q.split())

    kept = sorted((k for k in known if keeps(k)), key=lambda k: (k.decided_at, k.id))
    return [k.id for k in reversed(kept)]


def filters_of(world) -> st.SearchStrategy[ArchiveFilters]:
    days = st.sampled_from([None, date(2026, 1, 5), date(2026, 3, 1), date(2026, 6, 2)])
    return st.builds(
        ArchiveFilters,
        q=st.lists(st.sampled_from(WORDS), max_size=2).map(" ".join),
        client_id=st.sampled_from([None] + [c.id for c in world["clients"]]),
        category_key=st.sampled_from((None, *CATEGORIES)),
        outcome=st.sampled_from([None, "confirmed", "not_confirmed", "one_sided"]),
        lead_id=st.sampled_from([None] + [u.id for u in world["leads"]]),
        date_from=days,
        date_to=days,
    )


PLANS = [frozenset(c) for n in range(6) for c in itertools.combinations(EVERY_PER_ROW, n)]


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_every_plan_selects_what_a_plain_filter_keeps(small_archive, data):
    known = _known()
    user = data.draw(st.sampled_from(small_archive["leads"][:1] + small_archive["members"]))
    filters = data.draw(filters_of(small_archive))
    expected = _expected(known, user, filters)
    for per_row in PLANS:
        query = visible_decisions(user, filters, per_row=per_row).order_by(*NEWEST_FIRST)
        assert list(db.session.scalars(query)) == expected, sorted(per_row)


@pytest.mark.parametrize("factor", [0, 10**6])  # every set counts as large / as small
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_a_page_and_its_count_are_the_same_whichever_plan_is_chosen(
    small_archive, monkeypatch, factor, data
):
    monkeypatch.setattr(archive_plan, "SMALL_SET_FACTOR", factor)
    monkeypatch.setattr(archive_plan, "PG_SMALL_SET_FACTOR", factor)
    known = _known()
    user = data.draw(st.sampled_from(small_archive["leads"][:1] + small_archive["members"]))
    filters = data.draw(filters_of(small_archive))
    per_page = data.draw(st.sampled_from([1, 2, 25]))
    page_number = data.draw(st.integers(min_value=1, max_value=9))
    expected = _expected(known, user, filters)
    page = archive.list_decisions(user, filters, page_number, per_page=per_page)
    pages = max(1, -(-len(expected) // per_page))
    assert (page.total, page.pages, page.capped) == (len(expected), pages, False)
    assert page.page == min(page_number, pages)
    start = (page.page - 1) * per_page
    assert [row.id for row in page.rows] == expected[start : start + per_page]


def test_the_count_stops_at_the_cap_on_a_walk_and_on_a_set_first_plan(small_archive, monkeypatch):
    lead = small_archive["leads"][0]
    monkeypatch.setattr(archive, "COUNT_CAP", 2)
    for factor in (0, 10**6):
        monkeypatch.setattr(archive_plan, "SMALL_SET_FACTOR", factor)
        monkeypatch.setattr(archive_plan, "PG_SMALL_SET_FACTOR", factor)
        page = archive.list_decisions(lead, ArchiveFilters(q="late"), per_page=1)
        # "late" is in four decisions: more than the cap of 2.
        assert (page.total, page.capped, page.pages) == (2, True, 2)


@pytest.mark.parametrize("words", [*WORDS, "late spring", "acme harbour", "zz"])
def test_a_leads_search_alone_is_counted_exactly(small_archive, words):
    """PostgreSQL counts a lead's search with no other filter on the search index alone."""
    lead = small_archive["leads"][0]
    expected = _expected(_known(), lead, ArchiveFilters(q=words))
    page = archive.list_decisions(lead, ArchiveFilters(q=words), per_page=1)
    assert (page.total, page.capped) == (len(expected), False)
    assert [row.id for row in page.rows] == expected[:1]


def test_the_plan_follows_the_size_estimate_and_lets_a_client_drive(small_archive, monkeypatch):
    member = small_archive["members"][1]
    sets = set_filters(member, ArchiveFilters(q="late", category_key="muddy"))
    assert set(sets) == {SCOPE, CATEGORY, SEARCH}
    plan = archive_plan.per_row_filters
    if db.engine.dialect.name == "sqlite":
        monkeypatch.setattr(archive_plan, "SMALL_SET_FACTOR", 0)  # every set is large: walk
        assert plan(sets, client_filtered=False) == {SCOPE, CATEGORY, SEARCH}
        monkeypatch.setattr(archive_plan, "SMALL_SET_FACTOR", 10**6)  # all small: they drive
        assert plan(sets, client_filtered=False) == {LEAD, FLAGS}
        assert plan(sets, client_filtered=True) == set(EVERY_PER_ROW)
        assert plan({}, client_filtered=False) == set()
    else:
        monkeypatch.setattr(archive_plan, "PG_SMALL_SET_FACTOR", 0)  # a common word: walk
        assert plan(sets, client_filtered=False) == {SEARCH}
        monkeypatch.setattr(archive_plan, "PG_SMALL_SET_FACTOR", 10**6)
        assert plan(sets, client_filtered=False) == set()
        monkeypatch.setattr(archive_plan, "PG_SMALL_SET_FACTOR", 0)
        assert plan(sets, client_filtered=True) == set()


@pytest.mark.parametrize(
    "narrowed",
    [
        {"lead_id": 0},
        {"outcome": "one_sided"},
        {"outcome": "confirmed"},
        {"category_key": "muddy"},
        {"date_from": date(2026, 3, 1)},
    ],
)
def test_a_word_tested_per_row_is_counted_with_every_other_filter(
    small_archive, monkeypatch, narrowed
):
    """A common word with other filters is counted on the page's per-row walk
    (PostgreSQL) or its one walk (SQLite); either way the count keeps every filter."""
    monkeypatch.setattr(archive_plan, "SMALL_SET_FACTOR", 0)
    monkeypatch.setattr(archive_plan, "PG_SMALL_SET_FACTOR", 0)  # every word is common
    if "lead_id" in narrowed:
        narrowed = {"lead_id": small_archive["leads"][0].id}
    known = _known()
    for user in (small_archive["leads"][0], small_archive["members"][0]):
        for words in ("late", "scope", "spring"):
            filters = ArchiveFilters(q=words, **narrowed)
            expected = _expected(known, user, filters)
            page = archive.list_decisions(user, filters, per_page=1)
            assert page.total == len(expected), (user.role, words)
            assert [row.id for row in page.rows] == expected[:1]


@pytest.mark.parametrize("sorts", [True, False])
@pytest.mark.parametrize("cap", [1, 2, 1_000])
def test_a_search_the_search_table_holds_is_listed_and_counted_there_or_walked(
    small_archive, monkeypatch, cap, sorts
):
    """PostgreSQL answers a search with an outcome, a lead or a member's scope from the
    search table alone: every match sorted there for the page and counted in the same
    pass, or counted to the cap there and, over it, the page walked; whichever way, the
    rows and the count a plain filter gives."""
    from app.services.archive_query import indexed_search

    monkeypatch.setattr(archive, "COUNT_CAP", cap)
    monkeypatch.setattr(archive_plan, "PG_PAGE_SET_FACTOR", 10**6 if sorts else 0)
    known = _known()
    leads = small_archive["leads"]
    for user in (leads[0], *small_archive["members"]):
        for words, outcome, lead in itertools.product(
            ("late", "spring", "scope harbour", "zz", "in"),
            (None, "confirmed", "not_confirmed", "one_sided"),
            (None, leads[1].id),
        ):
            filters = ArchiveFilters(q=words, outcome=outcome, lead_id=lead)
            held = db.engine.dialect.name == "postgresql" and (
                not user.is_lead or outcome is not None or lead is not None
            )
            assert (indexed_search(user, filters) is not None) == held
            expected = _expected(known, user, filters)
            for page_number in (1, 2, 9):
                page = archive.list_decisions(user, filters, page_number, per_page=1)
                assert (page.total, page.capped) == (min(len(expected), cap), len(expected) > cap)
                assert [row.id for row in page.rows] == expected[page.page - 1 : page.page]
    for filters in (
        ArchiveFilters(q="late", client_id=small_archive["clients"][0].id),
        ArchiveFilters(q="late", category_key="muddy"),
        ArchiveFilters(q="late", date_from=date(2026, 1, 1)),
        ArchiveFilters(q="late", outcome="unknown"),
        ArchiveFilters(outcome="confirmed"),
        ArchiveFilters(q="late"),  # a lead's words alone
    ):
        assert indexed_search(leads[0], filters) is None
