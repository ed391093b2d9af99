"""Confidence against the gap: the overconfidence paradox as a picture.

Every member's answer on every dimension the client rated is one point: how sure the
member was (x) against how far the member's rating lies above the client's (y). The
flag zone (sure enough and far enough above the client) is shaded and hatched; the
points inside it are triangles, the others circles, so the zone reads in grey-scale.
Identical answers fan out in a small sunflower pattern so a cluster shows its size.
"""

from __future__ import annotations

import math
from collections import Counter

from matplotlib.patches import Patch, Rectangle

from app.charts.figure import (
    FLAG,
    GAP,
    HATCH,
    INK,
    LINE_IN,
    MUTED,
    ZONE_FILL,
    FormatNumber,
    Translate,
    add_legend,
    add_titles,
    drawing,
    english,
    english_number,
    extra_lines,
    legend_columns,
    legend_room,
    margins,
    new_figure,
    number,
    text_room,
    to_bytes,
    wrapped,
)
from app.charts.inputs import ConfidenceInput

WIDTH_IN, HEIGHT_IN = 9.0, 5.6
TOP_IN, BOTTOM_IN = 0.95, 1.2
HANDLE_LENGTH = 2.0  # matplotlib's default
LEGEND_ROWS = 1  # the bottom margin's room (one row of three in English and Danish)
X_MIN, X_MAX = 48, 102
Y_MIN, Y_MAX = -4.6, 4.6
GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))


def title_of(_: Translate = english) -> str:
    return _("How sure each member was, against the gap to the client")


def render_confidence(
    chart: ConfidenceInput,
    fmt: str,
    _: Translate = english,
    format_number: FormatNumber = english_number,
) -> bytes:
    with drawing():
        subtitle = wrapped(_subtitle(chart, _, format_number), text_room(WIDTH_IN))
        figure = new_figure(WIDTH_IN, HEIGHT_IN)
        axes = figure.add_subplot()
        handles = [_draw_zone(axes, chart, _)]
        handles += _draw_points(axes, chart, _)
        columns = legend_columns(handles, WIDTH_IN, HANDLE_LENGTH)
        # The plot keeps its size: a longer subtitle or legend makes the figure taller.
        top = TOP_IN + extra_lines(subtitle) * LINE_IN
        bottom = BOTTOM_IN + legend_room(len(handles), columns, LEGEND_ROWS)
        figure.set_size_inches(WIDTH_IN, HEIGHT_IN + top - TOP_IN + bottom - BOTTOM_IN)
        margins(figure, left=0.9, right=0.3, top=top, bottom=bottom)
        if not chart.points:
            message = (
                _("No client view was recorded, so there is no gap to plot.")
                if not chart.has_client
                else _("The client rated none of the dimensions the team rated.")
            )
            axes.text(
                0.5,
                0.5,
                message,
                transform=axes.transAxes,
                ha="center",
                va="center",
                color=MUTED,
                fontsize=11,
                zorder=5,
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 6},
            )
        axes.axhline(0, color=MUTED, linewidth=0.8, zorder=1)
        axes.set_xlim(X_MIN, X_MAX)
        axes.set_ylim(Y_MIN, Y_MAX)
        axes.set_yticks([-4, -3, -2, -1, 0, 1, 2, 3, 4])
        axes.grid(color="#e3e6eb", linewidth=0.7, zorder=0)
        axes.set_axisbelow(True)
        axes.set_xlabel(_("How sure the member was of the rating (%)"))
        axes.set_ylabel(_("Member's rating minus the client's (points)"))
        add_titles(figure, title_of(_), subtitle)
        add_legend(figure, handles, columns, HANDLE_LENGTH)
        return to_bytes(figure, fmt, title_of(_))


def _draw_zone(axes, chart: ConfidenceInput, _: Translate) -> Patch:
    left, bottom = chart.confidence_threshold, chart.gap_threshold
    axes.add_patch(
        Rectangle(
            (left, bottom),
            X_MAX - left,
            Y_MAX - bottom,
            facecolor=ZONE_FILL,
            edgecolor=HATCH,
            hatch="//",
            linewidth=0,
            zorder=0.5,
        )
    )
    # The zone's edges: the two thresholds, drawn solid so they read without the fill.
    axes.plot(
        [left, left, X_MAX],
        [Y_MAX, bottom, bottom],
        color=FLAG,
        linestyle="--",
        linewidth=1.4,
        zorder=1,
    )
    return Patch(
        facecolor=ZONE_FILL,
        edgecolor=HATCH,
        hatch="//",
        label=_("Flag zone: sure, and rated above the client"),
    )


def _same_side(value: float, offset: float, bar: float) -> float:
    """value + offset, but never pushed across `bar`: a fanned point must not seem to
    leave (or enter) the flag zone it truly belongs to."""
    moved = value + offset
    if value >= bar > moved:
        return bar
    if value < bar <= moved:
        return math.nextafter(bar, -math.inf)
    return moved


def _fanned(chart: ConfidenceInput) -> list[tuple[float, float, bool]]:
    """(x, y, in zone) with identical answers spread on a sunflower spiral around their spot."""
    points = chart.points
    seen: Counter = Counter()
    placed = []
    for point in points:
        spot = (point.confidence, point.gap)
        index = seen[spot]
        seen[spot] += 1
        radius = 0.55 * math.sqrt(index)
        angle = index * GOLDEN_ANGLE
        # The axes span ~54 % horizontally and ~9 points vertically: scale to look round.
        dx, dy = radius * math.cos(angle) * 1.6, radius * math.sin(angle) * 0.16
        x = _same_side(point.confidence, dx, chart.confidence_threshold)
        y = _same_side(point.gap, dy, chart.gap_threshold)
        placed.append((x, y, point.in_flag_zone))
    return placed


def _draw_points(axes, chart: ConfidenceInput, _: Translate) -> list:
    placed = _fanned(chart)
    handles = []
    outside = [(x, y) for x, y, zone in placed if not zone]
    inside = [(x, y) for x, y, zone in placed if zone]
    if outside:
        xs, ys = zip(*outside, strict=True)
        handles.append(
            axes.scatter(
                xs,
                ys,
                s=26,
                color=GAP,
                alpha=0.75,
                edgecolors="white",
                linewidths=0.5,
                zorder=3,
                label=_("An answer (one member, one dimension)"),
            )
        )
    if inside:
        xs, ys = zip(*inside, strict=True)
        handles.append(
            axes.scatter(
                xs,
                ys,
                s=46,
                marker="^",
                color=FLAG,
                edgecolors=INK,
                linewidths=0.5,
                zorder=4,
                label=_("An answer in the flag zone"),
            )
        )
    return handles


def _subtitle(chart: ConfidenceInput, _: Translate, format_number: FormatNumber) -> str:
    zone = _(
        "Flag zone: confidence at least %(confidence)s %% and rating more than %(gap)s "
        "above the client.",
        confidence=number(chart.confidence_threshold, format_number),
        gap=number(chart.gap_threshold, format_number),
    )
    return (
        _(
            "%(count)s answer(s), %(inside)s in the flag zone.",
            count=len(chart.points),
            inside=chart.in_zone,
        )
        + " "
        + zone
    )
