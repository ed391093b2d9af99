"""What the divergence chart must still carry after being made cheaper to draw."""

from __future__ import annotations

import io
import re

import matplotlib
from PIL import Image

from app.charts import render_chart
from app.charts.divergence import WIDTH_IN
from app.charts.figure import FLAG, PNG_DPI, drawing
from tests.unit.test_charts import inputs_for, three_members_overconfident_on_delivery

TEXT = re.compile(r"<text ([^>]*)>([^<]*)</text>")


def svg_texts(body: bytes) -> list[tuple[str, str]]:
    """(style attributes, text) of every <text> element, in drawing order."""
    return TEXT.findall(body.decode("utf-8"))


def test_a_flagged_row_keeps_hatch_bold_red_title_and_a_word_label():
    inputs, _, _ = inputs_for(three_members_overconfident_on_delivery())
    flagged = [row.title for row in inputs.divergence.rows if row.team_flagged]
    assert flagged == ["Quality of what we delivered"]
    body = render_chart("divergence", "svg", inputs)
    texts = svg_texts(body)
    labels = [style for style, text in texts if text == "▲ Overconfidence flag"]
    assert len(labels) == 1  # one word label per flagged row
    assert all("font-weight: 700" in style and f"fill: {FLAG}" in style for style in labels)
    (title_style,) = [style for style, text in texts if text == flagged[0]]
    assert "font-weight: 700" in title_style and f"fill: {FLAG}" in title_style
    # The band and its legend key are hatched: one pattern shared by both.
    assert body.count(b"<pattern ") == 1
    assert "Overconfidence flag (team)" in [text for _style, text in texts]


def test_the_linked_band_is_named_once_by_its_heading_not_again_in_the_legend():
    inputs, _, _ = inputs_for(three_members_overconfident_on_delivery())
    assert inputs.divergence.any_linked
    texts = [text for _style, text in svg_texts(render_chart("divergence", "svg", inputs))]
    assert texts.count("Linked to a category with votes") == 1
    assert texts.count("Other dimensions") == 1


def test_png_is_drawn_at_90_dpi_with_unhinted_text():
    inputs, _, _ = inputs_for(three_members_overconfident_on_delivery())
    image = Image.open(io.BytesIO(render_chart("divergence", "png", inputs)))
    assert PNG_DPI == 90
    assert image.width == round(WIDTH_IN * 90) == 900
    assert round(image.info["dpi"][0]) == 90
    with drawing():
        # Hinted glyphs cost a quarter of a PNG's time; the charts draw them unhinted.
        assert matplotlib.rcParams["text.hinting"] == "no_hinting"


def test_drawing_restores_the_process_wide_hinting_setting():
    before = matplotlib.rcParams["text.hinting"]
    with drawing():
        pass
    assert matplotlib.rcParams["text.hinting"] == before
