"""A share is written as the reader's language writes it, the same in a table as in a
sentence: "80 %" in English and Danish, "80%" in Hungarian. The `percent` filter asks the
catalogue how (app/template_helpers.py: PERCENT) and keeps the sign on the number's line."""

from __future__ import annotations

import re

import pytest
from flask import render_template_string
from flask_babel import force_locale

from app.extensions import db
from app.models import Decision
from tests import factories as f
from tests.web.conftest import CONFIRM_STEP

NBSP = "\u00a0"
# A figure and its percent sign, with whatever stands between them in the page's HTML.
FIGURE_AND_SIGN = re.compile(r"\d(\s|&#160;|&nbsp;|\u00a0)?%(?![(\w])")


@pytest.mark.parametrize(
    ("language", "value", "places", "shown"),
    [
        ("en", 80, 0, f"80{NBSP}%"),
        ("da", 80, 0, f"80{NBSP}%"),
        ("hu", 80, 0, "80%"),
        ("en", 0.4, 1, f"0.4{NBSP}%"),
        ("da", 0.4, 1, f"0,4{NBSP}%"),
        ("hu", 0.4, 1, "0,4%"),
        ("hu", 66.666, 0, "67%"),
        ("da", None, 0, "—"),
    ],
)
def test_the_percent_filter_writes_the_sign_as_the_language_does(
    app, language, value, places, shown
):
    with app.test_request_context(), force_locale(language):
        assert render_template_string("{{ v|percent(p) }}", v=value, p=places) == shown


def _signs(html: str) -> set[str]:
    """What separates each figure from its percent sign on a page: "" or a space."""
    return {match.group(1) or "" for match in FIGURE_AND_SIGN.finditer(html)}


@pytest.mark.parametrize("language", ["en", "da", "hu"])
def test_every_share_on_the_comparison_and_archive_pages_is_written_alike(
    client, login, review_team, language
):
    lead, members, _, agency_client = review_team
    answers = [(4, 70), (4, 80), (5, 90)]
    review, _labels = f.closed_on_followup(lead, agency_client, members, answers, 5)
    login(client, lead)
    headers = {"Accept-Language": language}
    compare = client.get(f"/reviews/{review.id}/compare", headers=headers).get_data(as_text=True)
    decided = client.post(
        f"/reviews/{review.id}/decide",
        data={"outcome__eternal_debtor": "not_confirmed", "rationale": "Too few.", **CONFIRM_STEP},
    )
    assert decided.status_code == 302
    decision = db.session.query(Decision).one()
    archived = client.get(f"/archive/{decision.id}", headers=headers).get_data(as_text=True)
    for page in (compare, archived):
        signs = _signs(page)
        assert signs, "no share on the page"
        if language == "hu":
            assert signs == {""}, signs
        else:
            assert "" not in signs, signs
