"""The divergence chart's side labels fit inside the figure in every language.

The Danish "▲ Flag for overdreven selvsikkerhed" was cut off at the figure's right edge
when the right margin was fixed for the English label; the margin now grows with the
longest label drawn. Measured here with matplotlib's own font metrics, in the real
translations.
"""

from __future__ import annotations

import pytest
from flask_babel import force_locale, gettext
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath

from app.charts.divergence import LEFT_IN, WIDTH_IN, _side_label, _side_label_room
from app.charts.inputs import DivergenceRow

POINTS_PER_INCH = 72


def _row(flagged: bool, members: int) -> DivergenceRow:
    return DivergenceRow(
        dimension_key="q",
        title="Question",
        n=3,
        team_mean=5.0,
        team_median=5.0,
        team_min=5,
        team_max=5,
        client_rating=1,
        gap=4.0,
        mean_confidence=90.0,
        team_flagged=flagged,
        flagged_members=members,
        linked_categories=(),
        member_ratings=(5, 5, 5),
    )


def _width_in(text: str, style: dict) -> float:
    font = FontProperties(family="DejaVu Sans", size=9, weight=style.get("weight", "normal"))
    width, _height, _descent = TextToPath().get_text_width_height_descent(text, font, ismath=False)
    return width / POINTS_PER_INCH


@pytest.mark.parametrize("language", ["en", "da", "hu"])
def test_every_side_label_fits_inside_the_figure(app, language):
    rows = [(0, _row(True, 3)), (1, _row(False, 100))]
    with app.test_request_context(), force_locale(language):
        room = _side_label_room(rows, gettext)
        axes_width = WIDTH_IN - LEFT_IN - room
        for _y, row in rows:
            text, style = _side_label(row, gettext)
            # The label starts 2 % of the axes' width right of the axes (divergence.py).
            assert 0.02 * axes_width + _width_in(text, style) <= room, (language, text)
