"""Every text of every chart lies inside the image, in English, Danish and Hungarian.

The Hungarian confidence chart's subtitle and third legend entry ran past the right
edge, and the divergence chart's group heading was cut to "Szavazatot kapott
kategóriához kapcsoló…". Subtitles now wrap (the top margin grows a line at a time),
legends take fewer columns (the bottom margin grows a row at a time) and headings are
shown whole. Measured here on the drawn figure with matplotlib's own layout, in the real
translations, as the PNG and the SVG are drawn.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from flask_babel import force_locale, gettext
from matplotlib.text import Text

from app.charts import KINDS, chart_inputs, confidence, divergence, render_chart, votes
from app.domain.catalogue_default import default_catalogue
from app.domain.scoring import score_review
from app.domain.thresholds import Thresholds
from app.domain.verdict import evaluate_all
from app.template_helpers import number_filter_for
from tests.unit.domain.builders import member, response, review

LANGUAGES = ("en", "da", "hu")
THRESHOLDS = Thresholds()
HALF_PIXEL = 0.5


def _inputs(language: str, client: bool = True):
    """Five members, flags on every third dimension, members' flags elsewhere, two voted
    categories: every label, heading and legend entry the charts have."""
    catalogue = default_catalogue().localized(language)
    keys = catalogue.dimension_keys
    categories = catalogue.category_keys
    team = [
        response(
            member(index),
            {key: 5 if n % 3 == 0 else 2 + (n + index) % 4 for n, key in enumerate(keys)},
            confidence=60 + 8 * index,
            complexity=3,
            choices=categories[: 1 + index % 3],
        )
        for index in range(5)
    ]
    ratings = {key: 1 if n % 3 == 0 else 3 for n, key in enumerate(keys)} if client else None
    data = replace(review(team, ratings), catalogue=catalogue)
    scores = score_review(data, THRESHOLDS)
    voted = [key for key in categories if scores.votes.get(key)]
    verdicts = evaluate_all(data, THRESHOLDS, voted)
    return chart_inputs(catalogue, data, scores, verdicts, THRESHOLDS)


class Drawn:
    """What a render put where: every drawn text's box and the figure's, in pixels."""

    def __init__(self, figure, texts: list[Text]) -> None:
        renderer = figure.canvas.get_renderer()
        self.bounds = figure.bbox
        self.texts = [(text.get_text(), text.get_window_extent(renderer)) for text in texts]
        self.subtitle = figure.texts[-1].get_window_extent(renderer)
        self.plot = figure.axes[0].bbox
        self.x_label = figure.axes[0].xaxis.label.get_window_extent(renderer)
        self.legend = figure.legends[0].get_window_extent(renderer)


@pytest.fixture
def drawn(monkeypatch) -> list[Drawn]:
    """Each chart's figure measured as it is written out (inside its rcParams), with the
    texts matplotlib drew (not the tick labels it keeps beyond the axis' limits)."""
    found: list[Drawn] = []
    texts: list[Text] = []

    def draw(text, renderer, draw_text=Text.draw):
        if text.get_visible() and text.get_text():
            texts.append(text)
        return draw_text(text, renderer)

    monkeypatch.setattr(Text, "draw", draw)
    for module in (confidence, divergence, votes):

        def keep(figure, fmt, title, write=module.to_bytes):
            texts.clear()
            body = write(figure, fmt, title)
            found.append(Drawn(figure, list(texts)))
            return body

        monkeypatch.setattr(module, "to_bytes", keep)
    return found


def _render(app, language: str, kind: str, fmt: str, client: bool = True) -> bytes:
    with app.test_request_context(), force_locale(language):
        inputs = _inputs(language, client)
        return render_chart(kind, fmt, inputs, gettext, number_filter_for(language))


@pytest.mark.parametrize("client", [True, False], ids=["client", "no-client"])
@pytest.mark.parametrize("fmt", ["png", "svg"])
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_text_lies_inside_the_image(app, drawn, language, kind, fmt, client):
    _render(app, language, kind, fmt, client)
    (figure,) = drawn
    bounds = figure.bounds
    for text, box in figure.texts:
        assert box.x0 >= bounds.x0 - HALF_PIXEL, (language, text)
        assert box.x1 <= bounds.x1 + HALF_PIXEL, (language, text)
        assert box.y0 >= bounds.y0 - HALF_PIXEL, (language, text)
        assert box.y1 <= bounds.y1 + HALF_PIXEL, (language, text)
    # A wrapped subtitle gets its room above the plot, a taller legend below the x label.
    assert figure.subtitle.y0 >= figure.plot.y1, language
    assert figure.legend.y1 <= figure.x_label.y0, language


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_group_headings_of_the_divergence_chart_are_shown_whole(app, drawn, language):
    _render(app, language, "divergence", "svg")
    texts = [text for text, _box in drawn[0].texts]
    with app.test_request_context(), force_locale(language):
        headings = [gettext("Linked to a category with votes"), gettext("Other dimensions")]
    for heading in headings:
        assert heading in texts, (language, heading)
