"""Numbers inside a chart's texts are written as the reader's language writes them:
"more than 0,93 above the client" in Danish and Hungarian, "0.93" in English, by the same
formatter as the pages around the charts (app/template_helpers.py)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from flask_babel import force_locale

from app.charts import KINDS, render_chart
from app.charts.figure import number
from app.services.charts import snapshot_chart
from app.template_helpers import number_filter_for
from tests.unit.test_charts import (
    inputs_for,
    snapshot_of,
    svg_text,
    three_members_overconfident_on_delivery,
)

DECIMAL_SIGN = {"en": ".", "da": ",", "hu": ","}


@pytest.mark.parametrize(
    ("value", "english", "danish"),
    [(3.0, "3", "3"), (2.6666, "2.67", "2,67"), (2.5, "2.5", "2,5"), (0.93, "0.93", "0,93")],
)
def test_a_chart_number_has_at_most_two_decimals_none_trailing_in_the_readers_writing(
    value, english, danish
):
    assert number(value) == english
    assert number(value, number_filter_for("en")) == english
    assert number(value, number_filter_for("da")) == danish
    assert number(value, number_filter_for("hu")) == danish


def _inputs_with_bars_at_0_93():
    """A gap threshold of 0.93 and a required share of 0.93 votes (31 % of 3)."""
    inputs, _scores, _verdicts = inputs_for(three_members_overconfident_on_delivery())
    return replace(
        inputs,
        divergence=replace(inputs.divergence, gap_threshold=0.93),
        confidence=replace(inputs.confidence, gap_threshold=0.93),
        votes=replace(inputs.votes, vote_share=0.31),  # 0.31 x 3 respondents = 0.93
    )


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("language", ["en", "da", "hu"])
def test_every_chart_writes_its_numbers_in_the_readers_language(kind, language):
    inputs = _inputs_with_bars_at_0_93()
    text = svg_text(render_chart(kind, "svg", inputs, format_number=number_filter_for(language)))
    sign = DECIMAL_SIGN[language]
    assert f"0{sign}93" in text, (language, text)
    other = "," if sign == "." else "."
    assert f"0{other}93" not in text, (language, text)


@pytest.mark.parametrize("language", ["da", "hu"])
def test_the_service_draws_a_chart_with_the_readers_numbers(app, language):
    snapshot = snapshot_of(three_members_overconfident_on_delivery())
    threshold = number(snapshot["scores"]["gap_threshold"], number_filter_for(language))
    assert "," in threshold  # the review's threshold has decimals: the test means something
    with app.test_request_context(), force_locale(language):
        text = svg_text(snapshot_chart(snapshot, "divergence", "svg"))
    assert threshold in text
    assert threshold.replace(",", ".") not in text
