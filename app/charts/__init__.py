"""Candor's charts: numbers from the domain in, SVG or PNG bytes out.

Pure rendering with matplotlib's object-oriented `Figure` API on the Agg canvas (never
pyplot). No Flask, no database: the service layer (app/services/charts.py) decides who
may see a chart, caches it, and passes Flask-Babel's gettext as `_` and the web pages'
number formatter in the reader's language as `format_number`.

- divergence: team vs client per dimension (the chart a lead decides from)
- confidence: each answer's confidence against its gap to the client, flag zone shaded
- votes: respondents per voted category against the required share and the quorum
"""

from __future__ import annotations

from app.charts.confidence import render_confidence
from app.charts.divergence import render_divergence
from app.charts.figure import FORMATS, FormatNumber, Translate, english, english_number
from app.charts.inputs import ChartInputs, chart_inputs, worded_chart_inputs
from app.charts.snapshot import (
    SNAPSHOT_KINDS,
    UnsupportedSnapshotChart,
    render_snapshot_chart,
)
from app.charts.votes import render_votes

KINDS = ("divergence", "confidence", "votes")
MEDIA_TYPES = {"svg": "image/svg+xml", "png": "image/png"}

__all__ = [
    "FORMATS",
    "KINDS",
    "MEDIA_TYPES",
    "SNAPSHOT_KINDS",
    "ChartInputs",
    "UnsupportedSnapshotChart",
    "chart_inputs",
    "worded_chart_inputs",
    "render_chart",
    "render_snapshot_chart",
]


def render_chart(
    kind: str,
    fmt: str,
    inputs: ChartInputs,
    _: Translate = english,
    format_number: FormatNumber = english_number,
) -> bytes:
    """One chart of a review as bytes in `fmt` ("svg" or "png")."""
    if kind == "divergence":
        return render_divergence(inputs.divergence, fmt, _, format_number)
    if kind == "confidence":
        return render_confidence(inputs.confidence, fmt, _, format_number)
    if kind == "votes":
        return render_votes(inputs.votes, fmt, _, format_number)
    raise ValueError(f"Unknown chart {kind!r}; expected one of {', '.join(KINDS)}.")
