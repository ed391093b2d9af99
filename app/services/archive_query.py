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
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Select, and_, column, false, or_, select, table, text, true

from app.extensions import db
from app.models import CategoryDecision, Decision, User, search_index
from app.services.reviews import reviews_taken_part_in

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


def _scope(query: Select, user: User) -> Select:
    if user.is_lead:
        return query
    # Driven from review_participants.user_id: cheap even over 100,000 decisions.
    return query.where(Decision.review_id.in_(reviews_taken_part_in(user)))


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def day_in_range(day: date) -> bool:
    """Whether a date filter may name this day (EARLIEST_DAY..LATEST_DAY)."""
    return EARLIEST_DAY <= day <= LATEST_DAY


def search_terms(q: str) -> list[str]:
    return [term.lower() for term in q.split()][:MAX_TERMS]


def _search_table():
    return table(search_index.TABLE, column("rowid"), column("decision_id"), column("body"))


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


def apply_filters(query: Select, filters: ArchiveFilters) -> Select:
    """Narrow `query` (which selects from decisions) to the filters."""
    if filters.client_id is not None:
        query = query.where(Decision.client_id == filters.client_id)
    if filters.lead_id is not None:
        query = query.where(Decision.decided_by_id == filters.lead_id)
    if filters.date_from is not None:
        query = query.where(Decision.decided_at >= _day_start(filters.date_from))
    # The form refuses days out of range; any other caller asking "until 9999-12-31"
    # means no end (the day after it would overflow).
    if filters.date_to is not None and filters.date_to < date.max:
        query = query.where(Decision.decided_at < _day_start(filters.date_to + timedelta(days=1)))
    outcome, key = filters.outcome, filters.category_key
    if outcome == "one_sided":
        query = query.where(Decision.one_sided == true())
    if key:
        chosen = select(CategoryDecision.decision_id).where(CategoryDecision.category_key == key)
        if outcome in ("confirmed", "not_confirmed"):
            chosen = chosen.where(CategoryDecision.outcome == outcome)
        query = query.where(Decision.id.in_(chosen))
    elif outcome == "confirmed":
        query = query.where(Decision.any_confirmed == true())
    elif outcome == "not_confirmed":
        query = query.where(Decision.any_confirmed == false())
    elif outcome is not None and outcome not in OUTCOME_FILTERS:
        query = query.where(false())
    terms = search_terms(filters.q)
    if terms:
        query = query.where(Decision.id.in_(_matching_ids(terms)))
    return query


def visible_decisions(
    user: User, filters: ArchiveFilters | None = None, base: Select | None = None
) -> Select:
    """`base` (default: decision ids) narrowed to what this user may see and to `filters`."""
    query = _scope(select(Decision.id) if base is None else base, user)
    return apply_filters(query, filters or ArchiveFilters())


def in_date_order(query: Select, filters: ArchiveFilters) -> Select:
    """SQLite, a category or a search: walk the (decided_at, id) index newest first and
    stop at the page's end, testing each id against the (small, in-memory) set of matches.
    Left alone, SQLite fetches every match's wide row by id and sorts them all in a
    temporary B-tree (20,000 rows for a common category: 60 ms at 100,000 decisions, 12
    this way). PostgreSQL's planner has the statistics to choose by itself."""
    if db.engine.dialect.name == "sqlite" and (filters.category_key or filters.q.strip()):
        return query.with_hint(Decision, "INDEXED BY ix_decisions_decided_at_id", "sqlite")
    return query


def keyset_after(last: tuple[datetime, int] | None):
    """Rows strictly after (decided_at, id) `last` in newest-first order (None: from the top)."""
    if last is None:
        return true()
    decided_at, decision_id = last
    return or_(
        Decision.decided_at < decided_at,
        and_(Decision.decided_at == decided_at, Decision.id < decision_id),
    )
