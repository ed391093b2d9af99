"""How SQLite should walk a filtered archive list: which filters drive it from an index and
which are tested row by row. None of it changes which rows match, only their cost.

SQLite has no statistics here (no ANALYZE is run), so left alone it drives every `IN`
filter from its set of matches: it reads each match's wide decision row (the sealed
record is kept beside it) and sorts them all, even for 20,000 matches of which a page
shows 25. The archive's lists want the first COUNT_CAP + 1 ids newest first, so two
plans are worth having:

- walk: read the (decided_at, id) index (or a decider / one-sided / confirmed index in
  the same order) newest first, test each id against the filters, stop after the cap.
  It costs about (decisions / matches) x 1,001 tests: cheap when many decisions match.
- set first: read the matches' rows by id and sort them. It costs one wide-row read per
  match: cheap when few decisions match.

A filter is tested per row by writing its column as `+column`: the same value, which
SQLite does not look up in an index. Which plan fits is decided by an honest, cheap
estimate: counting each set's matches no further than SMALL_SET_FACTOR x sqrt(decisions)
(on the index that answers the filter, never the wide rows), where the two plans cost
the same.

PostgreSQL keeps statistics and plans the scope, the category and the decision's own
filters well by itself. A search it can only answer set first (a bitmap of every
decision holding the words' trigrams, each rechecked): 45,000 rechecks for a common
word in 1,000,000 decisions, over 100 ms. A common word is tested per row instead, on
a walk that stops at the cap; "common" is the planner's own estimate of the matches.
A search narrowed by nothing but an outcome, a lead or a member's scope is answered on
the search table, whose GIN index holds those too (archive_query.indexed_search): every
match sorted for the page when the planner expects few (`search_table_sorts_every_match`),
else counted to the cap there; this plan is then only asked for the page of one that
matches more than the cap.
"""

from __future__ import annotations

import math

from sqlalchemy import Select, func, literal, select

from app.extensions import db
from app.models import Decision

# Filters a plan may test per row (names shared with archive_query.apply_filters).
SCOPE, CATEGORY, SEARCH, LEAD, FLAGS = "scope", "category", "search", "lead", "flags"
# Walk and set first cost the same when matches^2 = decisions x 1,001 x (one test on the
# walk / one wide-row read): measured at 100,000 decisions on SQLite, a test costs about
# 2 us and a wide-row read about 15, so matches = sqrt(decisions x 130) ~ 11.5 x sqrt.
SMALL_SET_FACTOR = 12
# The same on PostgreSQL at 1,000,000 decisions: a test on the walk (the decision's search
# row by its key) about 2.2 us, a match rechecked set first about 2.7 us: sqrt(815) ~ 28.5.
PG_SMALL_SET_FACTOR = 28
# A page of a search the search table answers: sorting its m matches costs m rechecks;
# walking the decisions the other filters keep (d of them) about 25 x d / m tests (the
# count, to the cap, is taken apart). The same at m = 5 x sqrt(d); d is at most all of them.
PG_PAGE_SET_FACTOR = 5
NO_HINTS: frozenset[str] = frozenset()


def per_row_filters(sets: dict[str, Select], client_filtered: bool) -> frozenset[str]:
    """The filters to test per row. `sets` are the filters answered by a set of matching
    ids (scope, category, search), each as the query that lists its matches."""
    dialect = db.engine.dialect.name
    if dialect == "sqlite":
        return _sqlite_plan(sets, client_filtered)
    if dialect == "postgresql" and not client_filtered:
        return _postgresql_plan(sets)
    return NO_HINTS


def _postgresql_plan(sets: dict[str, Select]) -> frozenset[str]:
    if SEARCH not in sets:
        return NO_HINTS
    limit = PG_SMALL_SET_FACTOR * math.isqrt(_decisions_estimate())
    return frozenset({SEARCH}) if _planner_estimate(sets[SEARCH]) >= limit else NO_HINTS


def search_table_sorts_every_match(matches: Select) -> bool:
    """PostgreSQL, a search the search table answers whole (archive_query.indexed_search):
    whether to sort every match for the page (and count them in the same pass) rather
    than count to the cap and, over it, walk for the page. By the planner's estimate of
    the matches, which may be low for words that always come together."""
    limit = PG_PAGE_SET_FACTOR * math.isqrt(_decisions_estimate())
    return _planner_estimate(matches) < limit


def _sqlite_plan(sets: dict[str, Select], client_filtered: bool) -> frozenset[str]:
    if client_filtered:
        # A client has a handful of decisions (its index holds them newest first): let it
        # drive and test everything else on its rows, rather than walk a decider's
        # thousands or a set of matches.
        return frozenset(sets) | {LEAD, FLAGS}
    if not sets:
        # Each decision-side filter has its own (..., decided_at, id) index: SQLite's pick.
        return NO_HINTS
    limit = SMALL_SET_FACTOR * math.isqrt(_decisions_estimate())
    small = {name for name, matches in sets.items() if _fewer_than(matches, limit)}
    if small:
        # The smallest sets drive (SQLite picks among them); the others, and the decision's
        # own columns, are tested on their rows.
        return frozenset(set(sets) - small) | {LEAD, FLAGS}
    return frozenset(sets)


def _decisions_estimate() -> int:
    """About how many decisions there are: the largest id (one step down the primary key).
    Decisions are not deleted, so it is close; it only sizes the threshold."""
    return db.session.scalar(select(func.max(Decision.id))) or 0


def _fewer_than(matches: Select, limit: int) -> bool:
    """Whether `matches` lists fewer than `limit` rows, reading no more than `limit`."""
    # Counting a constant: the index that finds the matches answers it without their rows.
    capped = (
        matches.with_only_columns(literal(1), maintain_column_froms=True).limit(limit).subquery()
    )
    return (db.session.scalar(select(func.count()).select_from(capped)) or 0) < limit


def _planner_estimate(matches: Select) -> int:
    """PostgreSQL's estimate of how many rows `matches` lists, from its statistics (the
    plan only, nothing is run). Words it takes as independent it may underestimate
    together: then the search is answered set first, as it always was."""
    compiled = matches.compile(dialect=db.engine.dialect)
    explain = "EXPLAIN (FORMAT JSON) " + str(compiled)
    plan = db.session.connection().exec_driver_sql(explain, compiled.params).scalar()
    return int(plan[0]["Plan"]["Plan Rows"])
