"""Votes: per category that received votes, how many respondents chose it, against the
bar the agreement rule sets (vote share x respondents) and the review's quorum.

A bar that meets the share is solid blue; one below it is light grey; both carry a
text label ("3 of 4 · meets the share"), so the chart reads without colour.
"""

from __future__ import annotations

from matplotlib.patches import Patch
from matplotlib.transforms import blended_transform_factory

from app.charts.figure import (
    FLAG,
    GAP,
    INK,
    LINE_IN,
    MUTED,
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
from app.charts.inputs import VotesInput

WIDTH_IN = 9.0
BAR_IN = 0.45
LEFT_IN, RIGHT_IN, TOP_IN, BOTTOM_IN = 2.6, 2.4, 1.05, 1.25
BELOW_SHARE = "#c9ced6"
HANDLE_LENGTH = 2.0  # matplotlib's default
LEGEND_ROWS = 2  # the bottom margin's room


def title_of(_: Translate = english) -> str:
    return _("Which categories the team chose")


def render_votes(
    chart: VotesInput,
    fmt: str,
    _: Translate = english,
    format_number: FormatNumber = english_number,
) -> bytes:
    bars = chart.bars
    with drawing():
        subtitle = wrapped(
            _(
                "%(count)s respondent(s) answered; a category needs %(votes)s of them "
                "to meet the share.",
                count=chart.respondents,
                votes=chart.votes_needed,
            ),
            text_room(WIDTH_IN),
        )
        figure = new_figure(WIDTH_IN, 1.0)
        axes = figure.add_subplot()
        top = max(chart.respondents, chart.quorum or 0, 1)
        handles = []
        if bars:
            ys = range(len(bars))
            axes.barh(
                ys,
                [chart.respondents] * len(bars),
                height=0.7,
                facecolor="none",
                edgecolor=MUTED,
                linestyle="--",
                linewidth=0.8,
                zorder=1,
            )
            axes.barh(
                ys,
                [bar.votes for bar in bars],
                height=0.7,
                zorder=2,
                color=[GAP if bar.meets_share else BELOW_SHARE for bar in bars],
            )
            handles += [
                Patch(color=GAP, label=_("Chose it: enough for the required share")),
                Patch(color=BELOW_SHARE, label=_("Chose it: below the required share")),
                Patch(
                    facecolor="none", edgecolor=MUTED, linestyle="--", label=_("All respondents")
                ),
            ]
            axes.set_yticks(list(ys), [plain(bar.name, 30) for bar in bars])
            beside = blended_transform_factory(axes.transAxes, axes.transData)
            for y, bar in zip(ys, bars, strict=True):
                verdict = _("meets the share") if bar.meets_share else _("below the share")
                axes.text(
                    1.02,
                    y,
                    _(
                        "%(votes)s of %(respondents)s · %(verdict)s",
                        votes=bar.votes,
                        respondents=chart.respondents,
                        verdict=verdict,
                    ),
                    transform=beside,
                    va="center",
                    color=INK if bar.meets_share else MUTED,
                    weight="bold" if bar.meets_share else "normal",
                )
            axes.set_ylim(len(bars) - 0.5, -0.5)
            handles += _reference_lines(axes, chart, _, format_number)
        else:  # no reference lines either: they would only cross the message
            axes.set_yticks([])
            axes.text(
                0.5,
                0.5,
                _("No category received a vote."),
                transform=axes.transAxes,
                ha="center",
                va="center",
                color=MUTED,
                fontsize=11,
            )
        axes.set_xlim(0, top + 0.3)
        axes.set_xticks(range(top + 1))
        axes.grid(axis="x", color="#e3e6eb", linewidth=0.7, zorder=0)
        axes.set_axisbelow(True)
        axes.tick_params(axis="y", length=0)
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
        axes.set_xlabel(_("Respondents who chose the category"))
        columns = legend_columns(handles, WIDTH_IN, HANDLE_LENGTH)
        top = TOP_IN + extra_lines(subtitle) * LINE_IN
        bottom = BOTTOM_IN + legend_room(len(handles), columns, LEGEND_ROWS)
        figure.set_size_inches(WIDTH_IN, top + bottom + BAR_IN * max(len(bars), 2))
        margins(figure, left=LEFT_IN, right=RIGHT_IN, top=top, bottom=bottom)
        add_titles(figure, title_of(_), subtitle)
        add_legend(figure, handles, columns, HANDLE_LENGTH)
        return to_bytes(figure, fmt, title_of(_))


def _reference_lines(axes, chart: VotesInput, _: Translate, format_number: FormatNumber) -> list:
    lines = [
        axes.axvline(
            chart.required_votes,
            color=FLAG,
            linestyle="--",
            linewidth=1.6,
            zorder=3,
            label=_(
                "Required: %(share)s %% of %(respondents)s = %(votes)s",
                share=format_number(chart.vote_share * 100, 0),
                respondents=chart.respondents,
                votes=number(chart.required_votes, format_number),
            ),
        )
    ]
    if chart.quorum is not None:
        lines.append(
            axes.axvline(
                chart.quorum,
                color=INK,
                linestyle=":",
                linewidth=1.6,
                zorder=3,
                label=_("Quorum: %(quorum)s respondent(s)", quorum=chart.quorum),
            )
        )
    return lines
