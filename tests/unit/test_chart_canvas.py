"""The chart canvas draws text a string at a time: same measures, same look, less work."""

from __future__ import annotations

import io

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from PIL import Image

import app.charts.canvas as canvas_module
from app.charts.canvas import ChartCanvas, StringRenderer, png_bytes
from app.charts.figure import PNG_DPI, drawing, new_figure, plain

SAMPLES = [
    "Quality of what we delivered",
    "▲ Flag for overdreven selvsikkerhed",
    "Túlzott magabiztosság jelzése: ő ű",
    "Rating: 1 = strongly disagree … 5 = strongly agree",
    "",
]


@pytest.mark.parametrize("weight", ["normal", "bold"])
@pytest.mark.parametrize("size", [9, 13])
def test_text_measures_are_matplotlibs_own_so_every_layout_stays_where_it_was(weight, size):
    prop = FontProperties(family="DejaVu Sans", size=size, weight=weight)
    with drawing():
        ours, theirs = StringRenderer(200, 100, PNG_DPI), RendererAgg(200, 100, PNG_DPI)
        for text in SAMPLES:
            assert ours.get_text_width_height_descent(
                text, prop, False
            ) == theirs.get_text_width_height_descent(text, prop, False)


def _draw_texts(canvas_class) -> np.ndarray:
    """A few hard cases drawn on `canvas_class`: RGB pixels at the PNG's dpi."""
    with drawing():
        figure = Figure(figsize=(5, 3), dpi=PNG_DPI, facecolor="white")
        canvas_class(figure)
        for row, text in enumerate(SAMPLES[:4]):
            figure.text(0.02, 0.9 - row * 0.12, text, weight="bold" if row % 2 else "normal")
        figure.text(0.02, 0.35, "Half-transparent ▲", alpha=0.5, color="#b3261e", fontsize=12)
        figure.text(0.9, 0.1, "Rotated", rotation=90)  # matplotlib's own path
        figure.text(0.3, 0.25, plain("Costs $5 and $6"), ha="center", va="center")
        figure.text(0.6, 0.1, r"$x^2$ maths")  # mathtext: matplotlib's own path
        figure.text(0.6, 0.3, "two\nlines", ha="right", va="top")
        figure.canvas.draw()
        return np.asarray(figure.canvas.buffer_rgba())[..., :3].astype(int)


def test_text_looks_as_matplotlib_draws_it_within_a_fraction_of_a_pixel():
    ours, theirs = _draw_texts(ChartCanvas), _draw_texts(FigureCanvasAgg)
    ink, their_ink = (255 - ours).sum(), (255 - theirs).sum()
    assert abs(ink - their_ink) <= 0.02 * their_ink  # same glyphs, same weight and alpha
    inked, their_inked = ours.min(axis=2) < 200, theirs.min(axis=2) < 200
    rows, columns = np.nonzero(inked)
    their_rows, their_columns = np.nonzero(their_inked)
    assert abs(rows.min() - their_rows.min()) <= 1 and abs(rows.max() - their_rows.max()) <= 1
    assert abs(columns.min() - their_columns.min()) <= 1
    assert abs(columns.max() - their_columns.max()) <= 1
    # Pixel by pixel, the ink is where matplotlib puts it (glyphs may move < 1 pixel).
    assert (inked & ~_grown(their_inked)).sum() == 0


def _grown(mask: np.ndarray) -> np.ndarray:
    """`mask` grown by one pixel in every direction."""
    grown = mask.copy()
    for axis in (0, 1):
        for shift in (-1, 1):
            grown |= np.roll(mask, shift, axis=axis)
    grown |= np.roll(np.roll(mask, 1, axis=0), 1, axis=1) | np.roll(np.roll(mask, -1, 0), -1, 1)
    grown |= np.roll(np.roll(mask, 1, axis=0), -1, axis=1) | np.roll(np.roll(mask, -1, 0), 1, 1)
    return grown


def test_each_distinct_string_is_rasterised_once_per_render(monkeypatch):
    loads: list[str] = []
    original = canvas_module.get_font

    def counting_get_font(path):
        loads.append(path)
        return original(path)

    monkeypatch.setattr(canvas_module, "get_font", counting_get_font)
    with drawing():
        figure = new_figure(4, 4)
        for row in range(12):
            figure.text(0.1, row / 12, "▲ Overconfidence flag", weight="bold")
        figure.text(0.5, 0.5, "Other")
        figure.canvas.draw()
    # Twelve equal labels and one other: measured and drawn from one rasterisation each.
    assert len(loads) == 2


def test_every_chart_figure_draws_on_the_chart_canvas():
    assert isinstance(new_figure(2, 2).canvas, ChartCanvas)


def _chart_figure() -> Figure:
    figure = new_figure(4, 2)
    axes = figure.add_subplot()
    axes.plot([1, 2, 3], [3, 1, 2], color="#D55E00")
    axes.set_title("Team versus client ▲")
    return figure


def test_the_png_holds_exactly_the_pixels_matplotlib_would_have_saved_at_90_dpi():
    with drawing():
        body = png_bytes(_chart_figure(), PNG_DPI, 1)
        expected = io.BytesIO()
        _chart_figure().savefig(expected, format="png", dpi=PNG_DPI)
    assert body.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(body))
    image.load()  # decodes every row and checks every chunk's CRC
    assert image.mode == "RGBA" and image.size == (4 * PNG_DPI, 2 * PNG_DPI)
    assert round(image.info["dpi"][0]) == round(image.info["dpi"][1]) == PNG_DPI
    assert np.array_equal(np.asarray(image), np.asarray(Image.open(expected)))
    assert b"tEXt" not in body and b"iTXt" not in body  # no Software or other metadata


def test_a_missing_glyph_still_warns_so_the_suite_catches_empty_boxes():
    # tests/i18n/test_chart_glyphs.py relies on this warning (turned into an error).
    with drawing(), pytest.warns(UserWarning, match="missing from font"):
        figure = new_figure(2, 1)
        figure.text(0.1, 0.5, "漢")
        figure.canvas.draw()
