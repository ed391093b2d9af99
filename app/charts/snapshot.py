"""Charts of an archived decision, drawn from its frozen snapshot (app/domain/snapshot.py).

A snapshot keeps the aggregates, not each member's answers, so the divergence chart
shows the team's lowest-to-highest range as a bar instead of one dot per member, and
there is no confidence-vs-gap chart (it needs every answer).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.charts.divergence import render_divergence
from app.charts.figure import FormatNumber, Translate, english, english_number
from app.charts.inputs import DivergenceInput, DivergenceRow, VoteBar, VotesInput, meets_share
from app.charts.votes import render_votes
from app.domain.thresholds import Thresholds

SNAPSHOT_KINDS = ("divergence", "votes")
CORROBORATION = "corroboration:"


class UnsupportedSnapshotChart(ValueError):
    """The snapshot lacks what this chart needs (e.g. per-answer data)."""


def render_snapshot_chart(
    snapshot: Mapping[str, Any],
    kind: str,
    fmt: str,
    _: Translate = english,
    format_number: FormatNumber = english_number,
) -> bytes:
    if kind == "divergence":
        return render_divergence(divergence_from_snapshot(snapshot), fmt, _, format_number)
    if kind == "votes":
        return render_votes(votes_from_snapshot(snapshot), fmt, _, format_number)
    raise UnsupportedSnapshotChart(
        f"An archived decision can draw {' and '.join(SNAPSHOT_KINDS)} charts, not {kind!r}."
    )


def _names(snapshot: Mapping[str, Any], part: str, field: str) -> dict[str, str]:
    catalogue = snapshot.get("catalogue") or {}
    return {key: entry.get(field, key) for key, entry in (catalogue.get(part) or {}).items()}


def _verdicts(snapshot: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return list(snapshot.get("verdicts") or [])


def divergence_from_snapshot(snapshot: Mapping[str, Any]) -> DivergenceInput:
    scores = snapshot["scores"]
    titles = _names(snapshot, "dimensions", "title")
    linked: dict[str, list[str]] = {}
    categories = _names(snapshot, "categories", "name")
    for verdict in _verdicts(snapshot):
        name = verdict.get("category_name") or categories.get(verdict["category_key"], "")
        for condition in verdict.get("conditions", ()):
            if condition["key"].startswith(CORROBORATION):
                dimension = condition["key"][len(CORROBORATION) :]
                linked.setdefault(dimension, []).append(name)
    rows = tuple(
        DivergenceRow(
            dimension_key=stats["dimension_key"],
            title=titles.get(stats["dimension_key"], stats["dimension_key"]),
            n=stats["n"],
            team_mean=float(stats["team_mean"]),
            team_median=float(stats["team_median"]),
            team_min=stats["team_min"],
            team_max=stats["team_max"],
            client_rating=stats["client_rating"],
            gap=None if stats["gap"] is None else float(stats["gap"]),
            mean_confidence=float(stats["mean_confidence"]),
            team_flagged=bool(stats["team_flagged"]),
            flagged_members=len(stats.get("flagged_members") or ()),
            linked_categories=tuple(linked.get(stats["dimension_key"], ())),
            member_ratings=None,
        )
        for stats in scores["dimensions"]
    )
    return DivergenceInput(
        rows=rows,
        respondents=scores["respondents"],
        has_client=any(row.client_rating is not None for row in rows),
        gap_threshold=float(scores["gap_threshold"]),
        confidence_threshold=float(scores["confidence_threshold"]),
    )


def votes_from_snapshot(snapshot: Mapping[str, Any]) -> VotesInput:
    scores = snapshot["scores"]
    respondents = scores["respondents"]
    names = _names(snapshot, "categories", "name")
    vote_share = (snapshot.get("thresholds") or {}).get("vote_share", Thresholds().vote_share)
    quorum = None
    for verdict in _verdicts(snapshot):
        names.setdefault(verdict["category_key"], verdict.get("category_name", ""))
        for condition in verdict.get("conditions", ()):
            # Schema 1 stored the bar as threshold_value, schema 2 as bar.
            bar = condition.get("bar", condition.get("threshold_value"))
            if condition["key"] == "quorum" and bar is not None:
                quorum = int(bar)
    # Verdicts are listed in catalogue order; the votes mapping may come back key-sorted.
    order = {verdict["category_key"]: index for index, verdict in enumerate(_verdicts(snapshot))}
    voted = sorted(
        ((key, count) for key, count in scores["votes"].items() if count > 0),
        key=lambda item: (order.get(item[0], len(order)), item[0]),
    )
    return VotesInput(
        bars=tuple(
            VoteBar(
                category_key=key,
                name=names.get(key, key),
                votes=count,
                share=count / respondents,
                meets_share=meets_share(count, respondents, vote_share),
            )
            for key, count in voted
        ),
        respondents=respondents,
        quorum=quorum,
        vote_share=float(vote_share),
    )
