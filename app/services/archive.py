"""The archive of decisions: a page of the filtered list, one decision, a client's history.

Which decisions a query selects (scope, filters, search, newest-first order) is
`archive_query.py`; the rows a list shows, `archive_rows.py`. `python -m bench.archive`
(SQLite) and `python -m bench.archive_pg` (PostgreSQL) measure the lists, filters and
searches over 100,000 and 1,000,000 decisions. Exports and the chain check live in
`archive_export.py` and `archive_verify.py`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Select, func, or_, select

from app.extensions import db
from app.models import Client, Decision, Review, User
from app.services.archive_plan import search_table_sorts_every_match
from app.services.archive_query import (
    NEWEST_FIRST,
    ArchiveFilters,
    counted_decisions,
    indexed_search,
    one_walk_for_page_and_count,
    planned_decisions,
    query_plan,
    visible_decisions,
)
from app.services.archive_rows import ArchiveRow, category_names, row_select, to_rows
from app.services.errors import NotFound
from app.services.review_lists import reviews_taken_part_in

PER_PAGE = 25
# Counting stops here: "more than 1,000 decisions" says all a reader needs, and counting
# a whole 1,000,000-row archive (or a common search word in it) costs far more than the
# page itself (10,000 cost 120 ms there). The 40 pages up to the cap can be walked;
# filters (a date range, a client) narrow the rest.
COUNT_CAP = 1_000


@dataclass(frozen=True)
class ArchivePage:
    rows: list[ArchiveRow]
    page: int
    pages: int
    total: int
    per_page: int
    capped: bool = False  # `total` is COUNT_CAP and more decisions match

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


@dataclass(frozen=True)
class HistoryEntry:
    review_id: int
    opened_at: datetime
    closed_at: datetime | None
    state: str
    conflict: str
    decision: ArchiveRow | None = None


@dataclass(frozen=True)
class FilterChoices:
    clients: list[tuple[int, str]] = field(default_factory=list)
    leads: list[tuple[int, str]] = field(default_factory=list)
    categories: list[tuple[str, str]] = field(default_factory=list)


def list_decisions(
    user: User, filters: ArchiveFilters, page: int = 1, per_page: int | None = None
) -> ArchivePage:
    """One page, newest first; a page past the end shows the last page.

    Ids first (an index-only walk where an index fits; archive_plan.py shapes it; on
    PostgreSQL a search with no more than an outcome, a lead and a member's scope, from
    the search table's GIN index while it matches no more than the cap), then the page's
    rows: the wide decision rows (each holds its record) are read 25 at a time.
    """
    per_page = per_page or PER_PAGE
    page = max(1, page)
    indexed = indexed_search(user, filters)
    answered = None if indexed is None else _from_search_table(indexed, page, per_page)
    if one_walk_for_page_and_count(user, filters):
        # The first COUNT_CAP + 1 ids are the count and hold every page up to the cap.
        newest = planned_decisions(user, filters, query_plan(user, filters))
        ids = list(db.session.scalars(newest.order_by(*NEWEST_FIRST).limit(COUNT_CAP + 1)))
        total = len(ids)
        page = min(page, _pages(total, per_page))
        found = ids[(page - 1) * per_page : page * per_page]
    elif answered is not None and answered[2] is not None:
        total, page, found = answered
    else:
        # Counted already when the search table found more than the cap.
        total = None if answered is None else answered[0]
        per_row = query_plan(user, filters)
        newest = planned_decisions(user, filters, per_row).order_by(*NEWEST_FIRST)
        counted = counted_decisions(user, filters, per_row)
        if page > 1:
            total = _count_up_to_cap(counted) if total is None else total
            page = min(page, _pages(total, per_page))
        window = newest.offset((page - 1) * per_page).limit(per_page)
        found = list(db.session.scalars(window))
        if total is None:
            # A first page that is not full is its own count.
            total = len(found) if len(found) < per_page else _count_up_to_cap(counted)
    capped = total > COUNT_CAP
    total = min(total, COUNT_CAP)
    query = row_select().where(Decision.id.in_(found)).order_by(*NEWEST_FIRST)
    rows = to_rows(db.session.execute(query), category_names()) if found else []
    return ArchivePage(
        rows=rows,
        page=page,
        pages=_pages(total, per_page),
        total=total,
        per_page=per_page,
        capped=capped,
    )


def _pages(total: int, per_page: int) -> int:
    """Pages up to the cap (a count beyond it shows as the cap)."""
    return max(1, math.ceil(min(total, COUNT_CAP) / per_page))


def _from_search_table(
    indexed: Select, page: int, per_page: int
) -> tuple[int, int, list[int] | None]:
    """(count up to COUNT_CAP + 1, page, the page's ids) of a search the search table
    answers whole (archive_query.indexed_search); the ids are None when it matches more
    than COUNT_CAP decisions and the walk of archive_plan.py finds the page cheaper.

    The matches are a MATERIALIZED CTE, which PostgreSQL plans as if every row were
    wanted, so it reads them from the GIN index's bitmap: with the cap's LIMIT in view
    it would scan the table for a word it expects to meet soon, and read all of it when
    the word never meets the filters. One statement counts them and sorts them for the
    page: all of them when the planner expects few (a member's search), else up to the
    cap (1,001 rows brought to Python would cost more than the statement)."""
    matches = indexed.cte("matches").prefix_with("MATERIALIZED")
    every = search_table_sorts_every_match(indexed)
    source = matches if every else select(matches).limit(COUNT_CAP + 1).cte("capped")
    newest = _newest_page(source, page, per_page).add_columns(func.count().over())
    rows = db.session.execute(newest).all()
    if rows:
        total = min(rows[0][1], COUNT_CAP + 1)
    else:  # nothing matches, or the page is past the end: count apart
        total = 0 if page == 1 else _count_up_to_cap(select(source.c.decision_id))
    if total > COUNT_CAP and not every:
        return total, page, None  # up to the cap, in no order: the walk finds the page
    if rows and page <= _pages(total, per_page):
        return total, page, [row[0] for row in rows]
    if not total:
        return 0, 1, []
    page = min(page, _pages(total, per_page))
    return total, page, list(db.session.scalars(_newest_page(source, page, per_page)))


def _newest_page(matches, page: int, per_page: int) -> Select:
    """The page's ids among `matches` (decision_id, decided_at), newest first."""
    newest = select(matches.c.decision_id).order_by(
        matches.c.decided_at.desc(), matches.c.decision_id.desc()
    )
    return newest.offset((page - 1) * per_page).limit(per_page)


def _count_up_to_cap(matching: Select) -> int:
    """How many decisions match, counting no further than COUNT_CAP + 1."""
    limited = matching.limit(COUNT_CAP + 1).subquery()
    return db.session.scalar(select(func.count()).select_from(limited)) or 0


# --- one decision --------------------------------------------------------------------------


def find_decision(decision_id: int, user: User) -> Decision:
    """The decision if this user may see it; NotFound otherwise (existence is not revealed)."""
    visible = visible_decisions(user).where(Decision.id == decision_id)
    if db.session.scalar(visible) is None:
        raise NotFound("No such decision.")
    return db.session.get(Decision, decision_id)


def same_client(decision: Decision, user: User) -> tuple[list[ArchiveRow], list[ArchiveRow]]:
    """Other visible decisions on the same client: (earlier, later), each newest first."""
    query = (
        visible_decisions(user, ArchiveFilters(client_id=decision.client_id), row_select())
        .where(Decision.id != decision.id)
        .order_by(*NEWEST_FIRST)
    )
    rows = to_rows(db.session.execute(query), category_names())
    key = (decision.decided_at, decision.id)
    earlier = [r for r in rows if (r.decided_at, r.id) < key]
    later = [r for r in rows if (r.decided_at, r.id) > key]
    return earlier, later


# --- client history and filter choices ------------------------------------------------------


def client_history(client: Client, user: User) -> list[HistoryEntry]:
    """The client's reviews in the order they were opened, each with its decision if any."""
    reviews = select(Review).where(Review.client_id == client.id)
    if not user.is_lead:
        reviews = reviews.where(Review.id.in_(reviews_taken_part_in(user)))
    found = list(db.session.scalars(reviews.order_by(Review.opened_at, Review.id)))
    decided = visible_decisions(user, ArchiveFilters(client_id=client.id), row_select())
    rows = to_rows(db.session.execute(decided), category_names())
    by_review = {row.review_id: row for row in rows}
    return [
        HistoryEntry(
            review_id=r.id,
            opened_at=r.opened_at,
            closed_at=r.closed_at,
            state=r.state,
            conflict=r.conflict,
            decision=by_review.get(r.id),
        )
        for r in found
    ]


def filter_choices() -> FilterChoices:
    clients = db.session.execute(select(Client.id, Client.name).order_by(Client.name, Client.id))
    deciders = select(Decision.decided_by_id).distinct()
    leads = db.session.execute(
        select(User.id, User.name)
        .where(or_(User.role.in_(("lead", "admin")), User.id.in_(deciders)))
        .order_by(User.name, User.id)
    )
    categories = sorted(category_names().items(), key=lambda item: item[1].lower())
    return FilterChoices(
        clients=[(i, n) for i, n in clients],
        leads=[(i, n) for i, n in leads],
        categories=categories,
    )
