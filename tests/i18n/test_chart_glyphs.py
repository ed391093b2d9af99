"""Charts in Danish and Hungarian show æ, ø, å, ő and ű, not empty boxes.

The charts draw with DejaVu Sans, which matplotlib ships inside its own package, so
every install of the project has it; a missing glyph makes matplotlib warn, and the
suite turns warnings into errors.
"""

from __future__ import annotations

import warnings
from dataclasses import replace

import pytest
from matplotlib import font_manager
from matplotlib.ft2font import FT2Font

from app.charts import KINDS, chart_inputs, render_chart
from app.domain.catalogue_default import default_catalogue
from app.domain.scoring import score_review
from app.domain.thresholds import Thresholds
from app.domain.verdict import evaluate_all
from tests.unit.domain.builders import member, response, review

LETTERS = "æøåÆØÅőűŐŰéáíóöüú"


def test_the_chart_font_ships_with_matplotlib_and_has_every_letter():
    path = font_manager.findfont("DejaVu Sans", fallback_to_default=False)
    assert "matplotlib" in path and path.endswith("DejaVuSans.ttf")
    font = FT2Font(path)
    assert all(font.get_char_index(ord(letter)) for letter in LETTERS)


def _inputs(language: str):
    catalogue = default_catalogue().localized(language)
    keys = catalogue.dimension_keys
    team = [response(member(n), dict.fromkeys(keys, 5), confidence=90) for n in range(3)]
    data = replace(review(team, client=dict.fromkeys(keys, 2)), catalogue=catalogue)
    thresholds = Thresholds()
    scores = score_review(data, thresholds)
    verdicts = evaluate_all(data, thresholds, ["muddy"])
    return chart_inputs(catalogue, data, scores, verdicts, thresholds)


def _words(language: str):
    sample = {"da": "Holdets vurdering – æ ø å", "hu": "A csapat értékelése – ő ű"}[language]
    return lambda text, **params: f"{sample}: " + (text % params if params else text)


@pytest.mark.parametrize("language", ["da", "hu"])
@pytest.mark.parametrize("kind", KINDS)
def test_charts_in_danish_and_hungarian_render_their_letters(language, kind):
    inputs = _inputs(language)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph … missing from font" would raise here
        png = render_chart(kind, "png", inputs, _words(language))
        svg = render_chart(kind, "svg", inputs, _words(language)).decode("utf-8")
    assert png.startswith(b"\x89PNG")
    for letter in {"da": "æøå", "hu": "őű"}[language]:
        assert letter in svg
