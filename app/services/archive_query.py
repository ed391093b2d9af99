"""Which archived decisions a query selects: the user's scope, the filters, the search.

Every query starts from `visible_decisions(user)`: leads and admins see every decision,
a member only decisions on reviews they took part in (a `review_participants` row). A
decision the user may not see is reported exactly like one that does not exist.

The archive is ordered newest first by (decided_at, id), a total order, so pages have no
gaps or duplicates. `ix_decisions_decided_at_id` serves the plain list and the date
range; (client | decider | one_sided | any_confirmed, decided_at, id) indexes serve
each filter in that same order. Search is a substring match (every word must occur in
the client's name, the conflict or the rationale) answered by the search index (FTS5
trigrams on SQLite, a pg_trgm GIN index on PostgreSQL: app/models/search_index.py).
On PostgreSQL that index also holds each decision's lead, the outcome filters it meets
and who may see it, so a search narrowed by those alone is answered there
(`indexed_search`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import (
    Integer,
    Select,
    Text,
    and_,
    column,
    false,
    literal_column,
    or_,
    select,
    table,
    text,
    true,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.sql.expression import UnaryExpression
from sqlalchemy.sql.operators import custom_op

from app.extensions import db
from app.models import CategoryDecision, Decision, User, search_index
from app.services.archive_plan import (
    CATEGORY,
    FLAGS,
    LEAD,
    SCOPE,
    SEARCH,
    per_row_filters,
)
from app.services.review_lists import reviews_taken_part_in

OUTCOME_FILTERS = ("confirmed", "not_confirmed", "one_sided")
# The days a date filter may name (PostgreSQL and SQLite store more, Python's dates end
# at 9999-12-31 and the day after it cannot be computed; no decision lies outside these).
EARLIEST_DAY = date(1900, 1, 1)
LATEST_DAY = date(2999, 12, 31)
MAX_TERMS = 8  # search words; each must occur in a client name, a conflict or a rationale
NEWEST_FIRST = (Decision.decided_at.desc(), Decision.id.desc())


@dataclass(frozen=True)
class ArchiveFilters:
    q: str = ""
    client_id: int | None = None
    category_key: str | None = None
    outcome: str | None = None  # one of OUTCOME_FILTERS
    lead_id: int | None = None  # who decided
    date_from: date | None = None  # inclusive, UTC days
    date_to: date | None = None  # inclusive

    def as_dict(self) -> dict:
        return {
            "q": self.q,
            "client_id": self.client_id,
            "category": self.category_key,
            "outcome": self.outcome,
            "lead_id": self.lead_id,
            "date_from": self.date_from.isoformat() if self.date_from else None,
            "date_to": self.date_to.isoformat() if self.date_to else None,
        }


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def day_in_range(day: date) -> bool:
    """Whether a date filter may name this day (EARLIEST_DAY..LATEST_DAY)."""
    return EARLIEST_DAY <= day <= LATEST_DAY


def search_terms(q: str) -> list[str]:
    return [term.lower() for term in q.split()][:MAX_TERMS]


def _search_table():
    # The typed columns exist on PostgreSQL only (app/models/search_index.py); their types
    # make the bound values integer, integer[] and text[], as the GIN index needs them.
    return table(
        search_index.TABLE,
        column("rowid"),
        column("decision_id"),
        column("body"),
        column("decided_at"),
        column("decided_by_id", Integer),
        column("outcomes", ARRAY(Text)),
        column("members", ARRAY(Integer)),
    )


def _fts_phrase(term: str) -> str:
    """An FTS5 string literal: the term as one phrase, its own quotes doubled."""
    return '"' + term.replace('"', '""') + '"'


def _matching_ids(terms: list[str]):
    """Ids of decisions whose client name, conflict or rationale contains every term
    (case-insensitive substrings), from the search index (app/models/search_index.py).

    SQLite: one FTS5 MATCH for the terms of three letters or more (the trigram index
    answers it); shorter terms, which no trigram covers, are checked with LIKE on the
    matching rows. PostgreSQL: LIKE per (lowercased) term on the lowercased text, which
    the GIN trigram index serves."""
    index = _search_table()
    if db.engine.dialect.name == "sqlite":
        query = select(index.c.rowid)
        long_terms = [t for t in terms if len(t) >= 3]
        if long_terms:
            query = query.where(
                text(f"{search_index.TABLE} MATCH :phrase").bindparams(
                    phrase=" AND ".join(_fts_phrase(t) for t in long_terms)
                )
            )
        for term in terms:
            if len(term) < 3:
                query = query.where(index.c.body.contains(term, autoescape=True))
        return query
    query = select(index.c.decision_id)
    for term in terms:  # search_terms() lowercased them; the index holds lower(text)
        query = query.where(index.c.body.contains(term, autoescape=True))
    return query


def indexed_search(user: User, filters: ArchiveFilters) -> Select | None:
    """PostgreSQL: (decision id, decided_at) of every decision a search selects, from the
    search table alone, when its columns hold every filter asked: the words, an outcome,
    a lead, a member's scope. One GIN bitmap answers them together, however rarely they
    meet (on a walk, a common word and a filter it never meets cost a test of every
    decision the filter keeps). The table holds one row per decision, written by triggers
    with the decision and with any change of its review's team (decisions are never
    deleted), so nothing is looked up in decisions. None on SQLite and for a search with
    a client, a category or dates, which the plans of archive_plan.py serve, and for a
    lead's search with no filter."""
    terms = search_terms(filters.q)
    if db.engine.dialect.name != "postgresql" or not terms:
        return None
    if filters.outcome is not None and filters.outcome not in OUTCOME_FILTERS:
        return None
    if replace(filters, q="", outcome=None, lead_id=None) != ArchiveFilters():
        return None
    if user.is_lead and replace(filters, q="") == ArchiveFilters():
        # The words alone: counted with the LIMIT in view (`counted_decisions`), the
        # planner scans the table for common words and stops at the cap, where the bitmap
        # of every match cost 85 ms for two words in a sixth of 1,000,000 decisions.
        return None
    index = _search_table()
    query = select(index.c.decision_id, index.c.decided_at).where(
        *(index.c.body.contains(term, autoescape=True) for term in terms)
    )
    if filters.outcome is not None:
        # The index names the outcome filters a decision meets as OUTCOME_FILTERS does.
        query = query.where(index.c.outcomes.contains([filters.outcome]))
    if filters.lead_id is not None:
        query = query.where(index.c.decided_by_id == filters.lead_id)
    if not user.is_lead:
        query = query.where(index.c.members.contains([user.id]))
    return query


def _unindexed(column):
    """`+column` on SQLite: the same value, which it will not look up in an index.
    (PostgreSQL has no unary + on text or booleans, nor needs it.)"""
    if db.engine.dialect.name != "sqlite":
        return column
    return UnaryExpression(column, operator=custom_op("+"), type_=column.type)


def _tested(column, name: str, per_row: frozenset[str]):
    """`column`, or where the plan tests filter `name` per row (archive_plan.py), unindexed."""
    return _unindexed(column) if name in per_row else column


def set_filters(user: User, filters: ArchiveFilters) -> dict[str, Select]:
    """The filters answered by a set of matching ids, each as the query listing them
    (what archive_plan.py sizes): the member's reviews, the category, the search."""
    sets: dict[str, Select] = {}
    if not user.is_lead:
        sets[SCOPE] = reviews_taken_part_in(user)
    if filters.category_key:
        sets[CATEGORY] = _category_matches(filters)
    terms = search_terms(filters.q)
    if terms:
        sets[SEARCH] = _matching_ids(terms)
    return sets


def _category_matches(filters: ArchiveFilters, decision_id=None) -> Select:
    """The category's decisions; with `decision_id`, a test of that one decision."""
    key = CategoryDecision.category_key
    if decision_id is not None:
        # `+category_key`: SQLite would otherwise answer it from the unique (decision_id,
        # category_key) index and read each row for its outcome, rather than from the
        # covering (decision_id, category_key, outcome) one.
        key = _unindexed(key)
    chosen = select(CategoryDecision.decision_id).where(key == filters.category_key)
    if decision_id is not None:
        chosen = chosen.where(CategoryDecision.decision_id == decision_id)
    if filters.outcome in ("confirmed", "not_confirmed"):
        chosen = chosen.where(CategoryDecision.outcome == filters.outcome)
    return chosen


def _scope(query: Select, user: User, per_row: frozenset[str]) -> Select:
    if user.is_lead:
        return query
    query = query.where(
        _tested(Decision.review_id, SCOPE, per_row).in_(reviews_taken_part_in(user))
    )
    if db.engine.dialect.name == "sqlite" and SCOPE not in per_row:
        # Always true (a stored time is text, and none is empty), but only the covering
        # (review_id, decided_at, id) index can use it: SQLite then reads the member's
        # decisions from it, not from the wide rows the unique review_id index leads to.
        query = query.where(Decision.decided_at >= literal_column("''"))
    return query


def apply_filters(
    query: Select, filters: ArchiveFilters, per_row: frozenset[str] = frozenset()
) -> Select:
    """Narrow `query` (which selects from decisions) to the filters; `per_row` names the
    filters SQLite should test on each row rather than look up (archive_plan.py)."""
    if filters.client_id is not None:
        query = query.where(Decision.client_id == filters.client_id)
    if filters.lead_id is not None:
        query = query.where(_tested(Decision.decided_by_id, LEAD, per_row) == filters.lead_id)
    if filters.date_from is not None:
        query = query.where(Decision.decided_at >= _day_start(filters.date_from))
    # The form refuses days out of range; any other caller asking "until 9999-12-31"
    # means no end (the day after it would overflow).
    if filters.date_to is not None and filters.date_to < date.max:
        query = query.where(Decision.decided_at < _day_start(filters.date_to + timedelta(days=1)))
    outcome, key = filters.outcome, filters.category_key
    if outcome == "one_sided":
        query = query.where(_tested(Decision.one_sided, FLAGS, per_row) == true())
    if key and CATEGORY in per_row:
        # Tested per row through the (decision_id, category_key) unique index: no set of
        # 20,000 matches to build first when a page needs a few hundred rows tested.
        query = query.where(_category_matches(filters, Decision.id).exists())
    elif key:
        query = query.where(Decision.id.in_(_category_matches(filters)))
    elif outcome in ("confirmed", "not_confirmed"):
        flag = _tested(Decision.any_confirmed, FLAGS, per_row)
        query = query.where(flag == (true() if outcome == "confirmed" else false()))
    elif outcome is not None and outcome not in OUTCOME_FILTERS:
        query = query.where(false())
    terms = search_terms(filters.q)
    if terms and SEARCH in per_row and db.engine.dialect.name == "postgresql":
        query = query.where(_search_row_matches(terms))
    elif terms:
        query = query.where(_tested(Decision.id, SEARCH, per_row).in_(_matching_ids(terms)))
    return query


def _search_row_matches(terms: list[str]):
    """PostgreSQL: whether this decision's search row holds every term, as a scalar
    subquery, which the planner runs per row (an IN or EXISTS it would turn into a join
    over every match)."""
    index = _search_table()
    holds_all = and_(*(index.c.body.contains(term, autoescape=True) for term in terms))
    return select(holds_all).where(index.c.decision_id == Decision.id).scalar_subquery()


def visible_decisions(
    user: User,
    filters: ArchiveFilters | None = None,
    base: Select | None = None,
    per_row: frozenset[str] = frozenset(),
) -> Select:
    """`base` (default: decision ids) narrowed to what this user may see and to `filters`."""
    query = _scope(select(Decision.id) if base is None else base, user, per_row)
    return apply_filters(query, filters or ArchiveFilters(), per_row)


def query_plan(user: User, filters: ArchiveFilters) -> frozenset[str]:
    """The filters the walk that lists these decisions tests per row (archive_plan.py)."""
    return per_row_filters(set_filters(user, filters), filters.client_id is not None)


def planned_decisions(user: User, filters: ArchiveFilters, per_row: frozenset[str]) -> Select:
    """The ids `visible_decisions` selects, shaped for `per_row`, the plan that finds them
    cheapest newest first (`query_plan`)."""
    return visible_decisions(user, filters, per_row=per_row)


def counted_decisions(user: User, filters: ArchiveFilters, per_row: frozenset[str]) -> Select:
    """The ids to count (unordered, up to the cap), given the page's plan `per_row`.

    SQLite: shaped as for the page (its plan holds for the count too). PostgreSQL (a
    search with a member's scope, an outcome or a lead is counted on the search table:
    `indexed_search`):
    - a lead's search with no other filter is counted on the search index alone: it holds
      one row per decision (a trigger adds it with the decision, and decisions are never
      deleted), and a lead sees every decision, so looking each match up in decisions
      changes nothing but the cost (1.9 ms of 100,000 decisions' server time became 1.0);
    - a common word with other filters (the page tests it per row) is counted on the
      page's walk too: one test per decision the other filters keep, stopping at the cap,
      which costs the same at any size (6.2 ms of server time at 100,000 decisions and 6.5
      at 300,000 for a lead's decisions holding "late"), where the planner's hash join
      over every decision holding the word grew with the archive (6.5 ms, then 12.0);
    - anything else is left to the planner, which drives the count from a search's
      matches and stops at the cap, where testing each row of a walk would take 22,000
      tests for a word in 4.5% of 1,000,000 decisions."""
    if db.engine.dialect.name == "sqlite":
        return planned_decisions(user, filters, per_row)
    terms = search_terms(filters.q)
    if user.is_lead and terms and replace(filters, q="") == ArchiveFilters():
        return _matching_ids(terms)
    if SEARCH in per_row:
        return planned_decisions(user, filters, per_row)
    return visible_decisions(user, filters)


def one_walk_for_page_and_count(user: User, filters: ArchiveFilters) -> bool:
    """SQLite with a set filter: one ordered walk to the cap gives the count and every
    page (the walk archive_plan.py chose is the count's walk too, and a search's set is
    built once). Otherwise the page (ordered, LIMIT 25) and the count (unordered, stopping
    at the cap) are asked apart, so each can stop early: on PostgreSQL a member's page
    walks 1,250 dates and the count reads 1,001 of the member's decisions, where 1,001
    ids in order would gather and sort all 20,000 (at 1,000,000 decisions); and a plain
    list need not carry 1,001 ids to Python."""
    return db.engine.dialect.name == "sqlite" and bool(set_filters(user, filters))


def keyset_after(last: tuple[datetime, int] | None):
    """Rows strictly after (decided_at, id) `last` in newest-first order (None: from the top)."""
    if last is None:
        return true()
    decided_at, decision_id = last
    return or_(
        Decision.decided_at < decided_at,
        and_(Decision.decided_at == decided_at, Decision.id < decision_id),
    )
