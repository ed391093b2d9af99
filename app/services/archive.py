"""The archive of decisions: what a user may see, filtered, searched and paginated.

Every query starts from `visible_decisions(user)`: leads and admins see every decision,
a member only decisions on reviews they took part in (a `review_participants` row). A
decision the user may not see is reported exactly like one that does not exist.

The list is ordered newest first by (decided_at, id), a total order, so pages have no
gaps or duplicates. `ix_decisions_decided_at_id` serves the plain list and the date
range; (client | decider | one_sided | any_confirmed, decided_at, id) indexes serve
each filter in that same order. Search is a substring match (every word must occur in
the client's name, the conflict or the rationale) answered by the search index (FTS5
trigrams on SQLite, a pg_trgm GIN index on PostgreSQL: app/models/search_index.py);
`python -m bench.archive` measures all of it over 100,000 decisions. Exports and the
chain check live in `archive_export.py` and `archive_verify.py`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Select, and_, column, false, func, or_, select, table, text, true

from app.extensions import db
from app.i18n import current_language
from app.models import (
    CatalogueVersion,
    CategoryDecision,
    Client,
    Decision,
    Review,
    User,
    search_index,
)
from app.services.errors import NotFound
from app.services.reviews import reviews_taken_part_in

OUTCOME_FILTERS = ("confirmed", "not_confirmed", "one_sided")
# The days a date filter may name (PostgreSQL and SQLite store more, Python's dates end
# at 9999-12-31 and the day after it cannot be computed; no decision lies outside these).
EARLIEST_DAY = date(1900, 1, 1)
LATEST_DAY = date(2999, 12, 31)
PER_PAGE = 25
# Counting stops here: "more than 1,000 decisions" says all a reader needs, and counting
# a whole 1,000,000-row archive (or a common search word in it) costs far more than the
# page itself (10,000 cost 120 ms there). The 40 pages up to the cap can be walked;
# filters (a date range, a client) narrow the rest.
COUNT_CAP = 1_000
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


@dataclass(frozen=True)
class ArchiveRow:
    id: int
    sequence: int
    decided_at: datetime
    review_id: int
    client_id: int
    client_name: str
    decided_by: str
    final_status: str
    one_sided: bool
    any_confirmed: bool
    confirmed: tuple[str, ...] = ()  # category names
    not_confirmed: tuple[str, ...] = ()


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


# --- scoping and filters --------------------------------------------------------------


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


# --- rows ----------------------------------------------------------------------------------


def category_names() -> dict[str, str]:
    """Category key -> name over every catalogue version (the newest name wins), in the
    reader's language where the version has it."""
    language = current_language()
    names: dict[str, str] = {}
    documents = db.session.scalars(
        select(CatalogueVersion.document).order_by(CatalogueVersion.version)
    )
    for document in documents:
        translated = ((document or {}).get("translations") or {}).get(language) or {}
        own = translated.get("categories") or {}
        for category in (document or {}).get("categories", []):
            key = category["key"]
            names[key] = (own.get(key) or {}).get("name") or category.get("name", key)
    return names


ROW_COLUMNS = (
    Decision.id,
    Decision.sequence,
    Decision.decided_at,
    Decision.review_id,
    Decision.client_id,
    Client.name.label("client_name"),
    User.name.label("decided_by"),
    Decision.final_status,
    Decision.one_sided,
    Decision.any_confirmed,
)


def row_select(*extra) -> Select:
    return (
        select(*ROW_COLUMNS, *extra)
        .join(Client, Client.id == Decision.client_id)
        .join(User, User.id == Decision.decided_by_id)
    )


def outcomes_of(decision_ids: list[int]) -> dict[int, list[tuple[str, str]]]:
    """decision id -> [(category key, outcome)] for one page or batch of decisions."""
    found: dict[int, list[tuple[str, str]]] = {i: [] for i in decision_ids}
    if not decision_ids:
        return found
    rows = db.session.execute(
        select(
            CategoryDecision.decision_id, CategoryDecision.category_key, CategoryDecision.outcome
        )
        .where(CategoryDecision.decision_id.in_(decision_ids))
        .order_by(CategoryDecision.decision_id, CategoryDecision.category_key)
    )
    for decision_id, key, outcome in rows:
        found[decision_id].append((key, outcome))
    return found


def to_rows(results, names: dict[str, str]) -> list[ArchiveRow]:
    results = list(results)
    outcomes = outcomes_of([r.id for r in results])
    rows = []
    for r in results:
        pairs = outcomes[r.id]
        rows.append(
            ArchiveRow(
                id=r.id,
                sequence=r.sequence,
                decided_at=r.decided_at,
                review_id=r.review_id,
                client_id=r.client_id,
                client_name=r.client_name,
                decided_by=r.decided_by,
                final_status=r.final_status,
                one_sided=r.one_sided,
                any_confirmed=r.any_confirmed,
                confirmed=tuple(names.get(k, k) for k, o in pairs if o == "confirmed"),
                not_confirmed=tuple(names.get(k, k) for k, o in pairs if o != "confirmed"),
            )
        )
    return rows


def list_decisions(
    user: User, filters: ArchiveFilters, page: int = 1, per_page: int | None = None
) -> ArchivePage:
    """One page, newest first; a page past the end shows the last page.

    Ids first (an index-only walk where an index fits), then the page's rows: the
    wide decision rows (each holds its snapshot) are read 25 at a time, never sorted.
    A first page that is not full is its own count, which spares a search a second scan.
    """
    per_page = per_page or PER_PAGE
    matching = _in_date_order(visible_decisions(user, filters), filters)
    ids = matching.order_by(*NEWEST_FIRST)
    page = max(1, page)
    total: int | None = None
    if page > 1:
        total = _count_up_to_cap(matching)
        page = min(page, max(1, math.ceil(min(total, COUNT_CAP) / per_page)))
    found = list(db.session.scalars(ids.offset((page - 1) * per_page).limit(per_page)))
    if total is None:
        # A first page that is not full is its own count.
        total = len(found) if len(found) < per_page else _count_up_to_cap(matching)
    capped = total > COUNT_CAP
    total = min(total, COUNT_CAP)
    pages = max(1, math.ceil(total / per_page))
    query = row_select().where(Decision.id.in_(found)).order_by(*NEWEST_FIRST)
    rows = to_rows(db.session.execute(query), category_names()) if found else []
    return ArchivePage(
        rows=rows, page=page, pages=pages, total=total, per_page=per_page, capped=capped
    )


def _count_up_to_cap(matching: Select) -> int:
    """How many decisions match, counting no further than COUNT_CAP + 1."""
    limited = matching.limit(COUNT_CAP + 1).subquery()
    return db.session.scalar(select(func.count()).select_from(limited)) or 0


def _in_date_order(query: Select, filters: ArchiveFilters) -> Select:
    """SQLite, a category or a search: walk the (decided_at, id) index newest first and
    stop at the page's end, testing each id against the (small, in-memory) set of matches.
    Left alone, SQLite fetches every match's wide row by id and sorts them all in a
    temporary B-tree (20,000 rows for a common category: 60 ms at 100,000 decisions, 12
    this way). PostgreSQL's planner has the statistics to choose by itself."""
    if db.engine.dialect.name == "sqlite" and (filters.category_key or filters.q.strip()):
        return query.with_hint(Decision, "INDEXED BY ix_decisions_decided_at_id", "sqlite")
    return query


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


def keyset_after(last: tuple[datetime, int] | None):
    """Rows strictly after (decided_at, id) `last` in newest-first order (None: from the top)."""
    if last is None:
        return true()
    decided_at, decision_id = last
    return or_(
        Decision.decided_at < decided_at,
        and_(Decision.decided_at == decided_at, Decision.id < decision_id),
    )
