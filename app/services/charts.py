"""A review's charts for the web: who may see them, and a cache in front of matplotlib.

Rendering a chart costs tens of milliseconds; serving it from the cache well under one.
Charts are kept in the shared store (app/services/shared_store.py: Redis when REDIS_URL
is set, so every app server and worker draws a chart once; this process's memory
otherwise) under the key

    (review id, data_version, state, kind, format, opened_at, locale)

Nothing is drawn while a review is open, and team answers can change only then: `state`
changes on close and on decision (a decision freezes the data), and `data_version` is
bumped by the services on every stored client view (which may come after the close), so
a changed review never meets its old chart. `opened_at` guards against
a reused id after a database reset (SQLite reuses the ids of deleted rows); the locale
keeps a Danish chart from being served to an English reader. Nothing needs
invalidating, on one server or many: the key itself changes when the data does.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import get_locale, gettext

from app.charts import (
    FORMATS,
    KINDS,
    SNAPSHOT_KINDS,
    ChartInputs,
    chart_inputs,
    render_chart,
    render_snapshot_chart,
    worded_chart_inputs,
)
from app.domain.lifecycle import may_see_results
from app.domain.record import (
    review_data_of,
    scores_of_record,
    thresholds_of_record,
    verdicts_of_record,
)
from app.models import Decision, Review
from app.services.catalogue import for_reader
from app.services.errors import Forbidden, NotFound
from app.services.review_data import ReviewResults, results_for
from app.services.shared_store import MemoryStore, RedisStore, shared_store
from app.template_helpers import number_filter_for


def chart_cache() -> MemoryStore | RedisStore:
    """Where this app keeps rendered charts: the shared store."""
    return shared_store()


def chart_tables(results: ReviewResults, points: bool = True) -> ChartInputs:
    """The numbers behind the three charts; the comparison page's tables show exactly these.
    `points=False` counts the confidence chart's answers instead of listing them, and reads
    no answer: results read from storage, which keep none, give only this."""
    if not points:
        return worded_chart_inputs(
            results.catalogue,
            results.scores,
            results.verdicts,
            results.thresholds,
            results.has_client,
            results.quorum,
        )
    if results.data is None:
        raise ValueError("chart_points_need_answers: read the results with results_for")
    return chart_inputs(
        results.catalogue,
        results.data,
        results.scores,
        results.verdicts,
        results.thresholds,
    )


def chart_key(review: Review, kind: str, fmt: str) -> tuple:
    opened = review.opened_at.isoformat() if review.opened_at else ""
    return (review.id, review.data_version, review.state, kind, fmt, opened, str(get_locale()))


def chart_for(review: Review, kind: str, fmt: str) -> bytes:
    """The chart's bytes, from the cache when the review has not changed since it was drawn.

    The caller has already checked that the user may open the review (reviews.review_for);
    here the lifecycle decides whether anyone may see results yet, before the cache is
    even consulted, so an open review's chart can never be served.
    """
    if kind not in KINDS or fmt not in FORMATS:
        raise NotFound("No such chart.")
    if not may_see_results(review.state):
        raise Forbidden("Charts are hidden until the lead closes the review.")
    cache = chart_cache()
    key = chart_key(review, kind, fmt)
    body = cache.get(key)
    if body is None:
        inputs = chart_tables(results_for(review))
        body = render_chart(kind, fmt, inputs, gettext, _reader_numbers())
        cache.put(key, body)
    return body


def snapshot_chart(snapshot: Mapping[str, Any], kind: str, fmt: str, digest: str = "") -> bytes:
    """An archived decision's chart in the reader's language. A snapshot never changes,
    so with its digest the chart is cached like a review's. A schema-2 record redraws all
    three charts; an older snapshot holds only what the divergence and votes charts need."""
    kinds = KINDS if snapshot.get("schema") == 2 else SNAPSHOT_KINDS
    if kind not in kinds or fmt not in FORMATS:
        raise NotFound("No such chart for an archived decision.")
    body = kept_snapshot_chart(kind, fmt, digest)
    if body is None:
        body = _draw_archived(snapshot, kind, fmt)
        if digest:
            chart_cache().put(_snapshot_key(kind, fmt, digest), body)
    return body


def archived_chart(decision: Decision, kind: str, fmt: str) -> bytes:
    """An archived decision's chart. A sealed record never changes, so its digest keys the
    chart: drawn once per digest, kind, format and language, and a kept one is served
    without reading the record. A record whose seal no longer holds is drawn afresh and
    never kept, so its digest cannot stand for a changed text. (The chart is drawn from
    the record alone: the review's answer rows, which the page's full verification also
    reads, do not change it.)"""
    from app.services.archive_verify import seal_holds  # it imports the review services

    digest = decision.digest if seal_holds(decision) else ""
    body = kept_snapshot_chart(kind, fmt, digest)
    return body if body is not None else snapshot_chart(decision.record, kind, fmt, digest)


def kept_snapshot_chart(kind: str, fmt: str, digest: str) -> bytes | None:
    """The archived chart drawn before for this digest, if kept: asked before the record is
    read at all (a 100-member record is some 800 kB of JSON to parse). Only a valid kind
    and format were ever kept."""
    return chart_cache().get(_snapshot_key(kind, fmt, digest)) if digest else None


def _snapshot_key(kind: str, fmt: str, digest: str) -> tuple:
    return ("snapshot", digest, kind, fmt, str(get_locale()))


def _draw_archived(record: Mapping[str, Any], kind: str, fmt: str) -> bytes:
    """A schema-2 record holds the anonymised answers: every chart is drawn exactly as the
    comparison page drew it. Older snapshots hold only the aggregates."""
    if record.get("schema") != 2:
        return render_snapshot_chart(record, kind, fmt, gettext, _reader_numbers())
    data = review_data_of(record)
    if data is None:
        raise NotFound("No chart: too few members answered for any result to be shown.")
    inputs = chart_inputs(
        for_reader(data.catalogue),
        data,
        scores_of_record(record),
        verdicts_of_record(record),
        thresholds_of_record(record),
    )
    return render_chart(kind, fmt, inputs, gettext, _reader_numbers())


def _reader_numbers():
    """Numbers inside a chart written as the pages around it write them ("0,93" in Danish
    and Hungarian): the same formatter, in the reader's language (part of the cache key)."""
    return number_filter_for(str(get_locale()))
