"""The open-review form: the lead's complexity floor, and a quorum and team never below
the deployment's min_respondents (CANDOR_THRESHOLD_MIN_RESPONDENTS)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from app.extensions import db
from app.models import Review, utcnow


def _form(agency_client, members, **overrides):
    data = {
        "client": str(agency_client.id),
        "conflict": "Invoices unpaid for three months.",
        "participants": [str(m.id) for m in members],
        "deadline": (utcnow() + timedelta(days=5)).date().isoformat(),
        "quorum": "3",
        "complexity_floor": "3",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def _input(page: str, name: str) -> str:
    return re.search(rf'<input[^>]*name="{name}"[^>]*>', page).group(0)


def _selected_complexity(page: str) -> str:
    select = re.search(r'<select[^>]*name="complexity_floor".*?</select>', page, re.S).group(0)
    return re.search(r'<option selected value="(\d)"', select).group(1)


# --- the complexity floor -----------------------------------------------------------------


def test_the_form_offers_five_complexity_levels_with_the_default_chosen(client, login, review_team):
    lead, *_ = review_team
    login(client, lead)
    page = client.get("/reviews/new").get_data(as_text=True)
    assert "Complexity of the project" in page
    for label in ("Very simple", "Simple", "Moderate", "Complex", "Very complex"):
        assert f">{label}</option>" in page
    assert _selected_complexity(page) == "3"
    assert "the more complex the project" in page
    assert "most overconfident on hard tasks" in page
    assert "before anyone answers" in page
    assert "never loosen it" in page


def test_the_chosen_complexity_is_stored_and_shown_on_the_review(client, login, review_team):
    lead, members, _, agency_client = review_team
    login(client, lead)
    response = client.post("/reviews/new", data=_form(agency_client, members, complexity_floor="5"))
    assert response.status_code == 302
    review = db.session.query(Review).one()
    assert review.complexity_floor == 5
    page = client.get(f"/reviews/{review.id}").get_data(as_text=True)
    assert "Complexity of the project" in page
    assert "5 – Very complex" in page


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0", r"Choose a complexity from 1 \(very simple\) to 5 \(very complex\)\."),
        ("6", r"Choose a complexity from 1 \(very simple\) to 5 \(very complex\)\."),
        ("", r"Choose the project(&#39;|')s complexity\."),
        (None, r"Choose the project(&#39;|')s complexity\."),
        ("abc", r"Invalid Choice"),
    ],
)
def test_a_missing_or_out_of_range_complexity_is_refused_and_nothing_is_created(
    client, login, review_team, value, message
):
    lead, members, _, agency_client = review_team
    login(client, lead)
    data = _form(agency_client, members, complexity_floor=value)
    response = client.post("/reviews/new", data=data)
    assert response.status_code == 400
    assert re.search(message, response.get_data(as_text=True))
    assert db.session.query(Review).count() == 0


# --- the quorum minimum -------------------------------------------------------------------


def test_the_quorum_input_starts_at_the_minimum(client, login, review_team):
    lead, *_ = review_team
    login(client, lead)
    page = client.get("/reviews/new").get_data(as_text=True)
    quorum = _input(page, "quorum")
    assert 'min="3"' in quorum and 'value="3"' in quorum


def test_a_quorum_below_the_minimum_is_refused_with_the_minimum_named(client, login, review_team):
    lead, members, _, agency_client = review_team
    login(client, lead)
    response = client.post("/reviews/new", data=_form(agency_client, members, quorum="2"))
    assert response.status_code == 400
    assert "The quorum must be at least 3" in response.get_data(as_text=True)
    assert db.session.query(Review).count() == 0


def test_a_quorum_at_the_minimum_is_accepted(client, login, review_team):
    lead, members, _, agency_client = review_team
    login(client, lead)
    response = client.post("/reviews/new", data=_form(agency_client, members, quorum="3"))
    assert response.status_code == 302
    assert db.session.query(Review).one().quorum == 3


def test_fewer_participants_than_the_minimum_are_refused(client, login, review_team):
    lead, members, _, agency_client = review_team
    login(client, lead)
    response = client.post("/reviews/new", data=_form(agency_client, members[:2], quorum="3"))
    assert response.status_code == 400
    assert "Choose at least 3 participants" in response.get_data(as_text=True)
    assert db.session.query(Review).count() == 0


def test_a_quorum_above_the_team_is_still_refused(client, login, review_team):
    lead, members, _, agency_client = review_team
    login(client, lead)
    response = client.post("/reviews/new", data=_form(agency_client, members, quorum="4"))
    assert response.status_code == 400
    assert "cannot be larger than the number of participants" in response.get_data(as_text=True)
    assert db.session.query(Review).count() == 0


def test_a_deployment_with_a_higher_minimum_moves_the_bar(login, review_team, app_with_thresholds):
    lead, members, outsider, agency_client = review_team
    client = app_with_thresholds(min_respondents="4").test_client()
    login(client, lead)
    page = client.get("/reviews/new").get_data(as_text=True)
    quorum = _input(page, "quorum")
    assert 'min="4"' in quorum and 'value="4"' in quorum  # the default quorum follows
    four = [*members, outsider]

    refused = client.post("/reviews/new", data=_form(agency_client, four, quorum="3"))
    assert refused.status_code == 400
    assert "The quorum must be at least 4" in refused.get_data(as_text=True)
    too_few = client.post("/reviews/new", data=_form(agency_client, members, quorum="4"))
    assert too_few.status_code == 400
    assert "Choose at least 4 participants" in too_few.get_data(as_text=True)
    assert db.session.query(Review).count() == 0

    accepted = client.post("/reviews/new", data=_form(agency_client, four, quorum="4"))
    assert accepted.status_code == 302
    assert db.session.query(Review).one().quorum == 4
