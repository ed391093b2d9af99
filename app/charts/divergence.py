"""The divergence chart: per dimension, the team's ratings against the client's.

One row per dimension. Each member's rating is an anonymous dot (equal ratings are
spread vertically so none hides another); the team mean is a bar; the client's rating
is a diamond; a line joins mean and client (the gap). Rows with a team overconfidence
flag get a hatched band, a bold red title and a text label, so the flag survives
grey-scale printing and colour blindness. Dimensions linked to a category that
received votes are grouped first under their own heading.

Each series is drawn with one call (one scatter for all dots, one LineCollection for
all gaps): a call per row is about three times slower on a 20-row chart.
"""

from __future__ import annotations

from collections import Counter

from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.transforms import blended_transform_factory

from app.charts.figure import (
    CLIENT,
    EDGE,
    FLAG,
    FLAG_FILL,
    GAP,
    HATCH,
    INK,
    LINE_IN,
    LINKED_FILL,
    MUTED,
    TEAM_DOT,
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
    plain,
    text_room,
    to_bytes,
    wrapped,
)
from app.charts.inputs import DivergenceInput, DivergenceRow

WIDTH_IN = 10.0
ROW_IN = 0.32  # the figure grows by this much per row, so 40 dimensions stay legible
LEFT_IN, RIGHT_IN, TOP_IN, BOTTOM_IN = 3.4, 1.9, 1.05, 1.3
TITLE_CHARS = 40  # row titles only: a group heading is shown whole
HANDLE_LENGTH = 1.6
LEGEND_ROWS = 2  # the bottom margin's room
X_MIN, X_MAX = 0.6, 5.4
DOT_SPREAD = 0.28  # half the vertical room equal ratings spread over, in rows


def title_of(_: Translate = english) -> str:
    return _("Team versus client, dimension by dimension")


def render_divergence(
    chart: DivergenceInput,
    fmt: str,
    _: Translate = english,
    format_number: FormatNumber = english_number,
) -> bytes:
    slots = _slots(chart, _)
    rows = [(y, slot) for y, slot in enumerate(slots) if isinstance(slot, DivergenceRow)]
    with drawing():
        subtitle = wrapped(_subtitle(chart, _, format_number), text_room(WIDTH_IN))
        figure = new_figure(WIDTH_IN, 1.0)
        axes = figure.add_subplot()
        handles = _draw_rows(axes, rows, _)
        columns = legend_columns(handles, WIDTH_IN, HANDLE_LENGTH)
        top = TOP_IN + extra_lines(subtitle) * LINE_IN
        bottom = BOTTOM_IN + legend_room(len(handles), columns, LEGEND_ROWS)
        figure.set_size_inches(WIDTH_IN, top + bottom + ROW_IN * max(len(slots), 1))
        right = max(RIGHT_IN, _side_label_room(rows, _))
        margins(figure, left=LEFT_IN, right=right, top=top, bottom=bottom)
        _label_axes(axes, slots, _)
        _flag_labels(axes, rows, _)
        add_titles(figure, title_of(_), subtitle)
        add_legend(figure, handles, columns, HANDLE_LENGTH)
        return to_bytes(figure, fmt, title_of(_))


def _slots(chart: DivergenceInput, _: Translate) -> list[DivergenceRow | str]:
    """Rows in catalogue order; with votes, linked rows first, each group under a heading."""
    if not chart.any_linked:
        return list(chart.rows)
    linked = [row for row in chart.rows if row.linked]
    others = [row for row in chart.rows if not row.linked]
    slots: list[DivergenceRow | str] = [_("Linked to a category with votes"), *linked]
    if others:
        slots += [_("Other dimensions"), *others]
    return slots


def _spread(ratings: tuple[int, ...]) -> list[tuple[float, float]]:
    """(rating, vertical offset) per dot; equal ratings fan out evenly around the row."""
    points: list[tuple[float, float]] = []
    for rating, count in sorted(Counter(ratings).items()):
        for index in range(count):
            offset = 0.0 if count == 1 else -DOT_SPREAD + 2 * DOT_SPREAD * index / (count - 1)
            points.append((rating, offset))
    return points


def _bands(ys: list[int], **style) -> PolyCollection:
    """Full-width row backgrounds as one artist (barh would make one Rectangle per row)."""
    half = 0.47
    boxes = [
        [(X_MIN, y - half), (X_MAX, y - half), (X_MAX, y + half), (X_MIN, y + half)] for y in ys
    ]
    return PolyCollection(boxes, linewidths=0, **style)


def _draw_rows(axes, rows: list[tuple[int, DivergenceRow]], _: Translate) -> list:
    handles: list = []
    linked_y = [y for y, row in rows if row.linked]
    flagged_y = [y for y, row in rows if row.team_flagged]
    if linked_y:
        # No legend entry: these rows sit under the heading "Linked to a category with
        # votes", which already says what the band means (an entry cost ~5 % of a PNG).
        axes.add_collection(_bands(linked_y, facecolor=LINKED_FILL, zorder=0))
    if flagged_y:
        axes.add_collection(
            _bands(flagged_y, facecolor=FLAG_FILL, edgecolor=HATCH, hatch="//", zorder=0.5)
        )
        handles.append(
            Patch(
                facecolor=FLAG_FILL,
                edgecolor=HATCH,
                hatch="//",
                label=_("Overconfidence flag (team)"),
            )
        )

    dots = [(x, y + dy) for y, row in rows for x, dy in _spread(row.member_ratings or ())]
    if dots:
        xs, ys = zip(*dots, strict=True)
        handles.append(
            axes.scatter(
                xs,
                ys,
                s=24,
                color=TEAM_DOT,
                alpha=0.8,
                edgecolors="white",
                linewidths=0.5,
                zorder=3,
                label=_("One member's rating (anonymous)"),
            )
        )
    ranges = [
        [(row.team_min, y), (row.team_max, y)] for y, row in rows if row.member_ratings is None
    ]
    if ranges:
        axes.add_collection(
            LineCollection(
                ranges, colors=TEAM_DOT, alpha=0.45, linewidths=7, capstyle="butt", zorder=2
            )
        )
        handles.append(
            Line2D(
                [],
                [],
                color=TEAM_DOT,
                alpha=0.45,
                linewidth=7,
                label=_("Team range, lowest to highest rating"),
            )
        )

    gaps = [(y, row) for y, row in rows if row.client_rating is not None]
    if gaps:
        axes.add_collection(
            LineCollection(
                [[(row.team_mean, y), (row.client_rating, y)] for y, row in gaps],
                colors=[FLAG if row.team_flagged else GAP for _y, row in gaps],
                linewidths=[3.2 if row.team_flagged else 2.0 for _y, row in gaps],
                zorder=2.5,
            )
        )
        handles.append(
            Line2D([], [], color=GAP, linewidth=2, label=_("Gap between team mean and client"))
        )
    handles.append(
        axes.scatter(
            [row.team_mean for _y, row in rows],
            [y for y, _row in rows],
            marker="|",
            s=320,
            linewidths=2.6,
            color=INK,
            zorder=4,
            label=_("Team mean"),
        )
    )
    if gaps:
        handles.append(
            axes.scatter(
                [row.client_rating for _y, row in gaps],
                [y for y, _row in gaps],
                marker="D",
                s=48,
                color=CLIENT,
                edgecolors=INK,
                linewidths=0.6,
                zorder=5,
                label=_("The client's rating"),
            )
        )
    return handles


def _label_axes(axes, slots: list[DivergenceRow | str], _: Translate) -> None:
    axes.set_xlim(X_MIN, X_MAX)
    axes.set_ylim(len(slots) - 0.5, -0.5)  # first dimension at the top
    axes.set_xticks([1, 2, 3, 4, 5])
    axes.set_yticks([])
    axes.grid(axis="x", color="#d8dce3", linewidth=0.8, zorder=0)
    axes.set_axisbelow(True)
    axes.set_xlabel(
        _(
            "Rating: 1 = strongly disagree … 5 = strongly agree that we did this "
            "well (higher is better for the agency)"
        )
    )
    # Row titles as plain texts rather than y ticks: a matplotlib Tick is two lines and two
    # texts, deep-copied from a template; on 20 rows ticks cost a quarter of the render.
    beside = blended_transform_factory(axes.transAxes, axes.transData)
    # A group heading starts at the figure's left edge, like the title, and may run on into
    # its own row of the plot (which has no marks): shown whole in every language.
    from_edge = blended_transform_factory(axes.figure.transFigure, axes.transData)
    for y, slot in enumerate(slots):
        if isinstance(slot, str):
            axes.text(
                EDGE, y, plain(slot), transform=from_edge, va="center", color=MUTED, weight="bold"
            )
            continue
        style = {"color": FLAG, "weight": "bold"} if slot.team_flagged else {"color": INK}
        axes.text(
            -0.015,
            y,
            plain(slot.title, TITLE_CHARS),
            transform=beside,
            ha="right",
            va="center",
            **style,
        )
    for side in ("top", "right", "left"):
        axes.spines[side].set_visible(False)


def _side_label(row: DivergenceRow, _: Translate) -> tuple[str, dict] | None:
    """The text beside a row and how it is drawn, or None for a row without flags."""
    if row.team_flagged:
        return "▲ " + _("Overconfidence flag"), {"color": FLAG, "weight": "bold"}
    if row.flagged_members:
        return _("%(count)s member(s) flagged", count=row.flagged_members), {"color": MUTED}
    return None


# Inches per character of the side labels (9 pt DejaVu Sans Bold averages about 0.08 in):
# an estimate, so that no text has to be measured before the margins are set.
_SIDE_INCH_PER_CHAR = 0.085


def _side_label_room(rows: list[tuple[int, DivergenceRow]], _: Translate) -> float:
    """The right margin the longest side label needs, so that no translation is cut off
    at the figure's edge (Danish and Hungarian labels are longer than English ones)."""
    labels = [_side_label(row, _) for _y, row in rows]
    longest = max((len(text) for text, _style in filter(None, labels)), default=0)
    return 0.35 + longest * _SIDE_INCH_PER_CHAR


def _flag_labels(axes, rows: list[tuple[int, DivergenceRow]], _: Translate) -> None:
    """Text beside flagged rows: the flag must read without colour."""
    beside = blended_transform_factory(axes.transAxes, axes.transData)
    for y, row in rows:
        label = _side_label(row, _)
        if label is not None:
            text, style = label
            axes.text(1.02, y, text, transform=beside, va="center", **style)


def _subtitle(chart: DivergenceInput, _: Translate, format_number: FormatNumber) -> str:
    people = _("%(count)s respondent(s)", count=chart.respondents)
    if not chart.has_client:
        return (
            people
            + " · "
            + _(
                "No client view was recorded: only the team's ratings "
                "are shown, and nothing can be flagged."
            )
        )
    return (
        people
        + " · "
        + _(
            "Flagged where members at least %(confidence)s %% sure of their rating put the "
            "team more than %(gap)s above the client.",
            gap=number(chart.gap_threshold, format_number),
            confidence=number(chart.confidence_threshold, format_number),
        )
    )
