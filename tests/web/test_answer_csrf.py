"""A member's answer posted with a missing or stale CSRF token (say, after logging in again
in another tab, which starts a new session) saves nothing and shows the form again with
everything typed, instead of an error page that loses it. A draft saved earlier is kept."""

import re

import pytest

from app.extensions import db
from app.models import TeamResponseRow
from tests import factories as f
from tests.helpers import PASSWORD
from tests.web.conftest import answer_form

EXPIRED = "This page had expired, so nothing was saved."


@pytest.fixture
def member_on_the_form(client, review_team, csrf_enabled):
    lead, members, _, agency_client = review_team
    review = f.open_review(lead, agency_client, members)
    page = client.get("/auth/login").get_data(as_text=True)
    login = {"email": members[0].email, "password": PASSWORD, "csrf_token": _token(page)}
    assert client.post("/auth/login", data=login).status_code == 302
    return review, f"/reviews/{review.id}/answer"


def _token(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def _typed(review) -> dict:
    data = answer_form(f.ensure_catalogue(), rating=2, submit=False, choices={"muddy": "Vague"})
    data["comment__honesty"] = "A long comment I would hate to type twice"
    return data


@pytest.mark.parametrize("token", [None, "forged", "stale"])
def test_a_refused_token_keeps_the_typed_answers_and_saves_nothing(
    client, member_on_the_form, token
):
    review, address = member_on_the_form
    data = _typed(review)
    if token == "forged":
        data["csrf_token"] = "IjAwMDAi.forged.token"
    elif token == "stale":
        # A real token of another session: valid in form, not for this session.
        other = client.application.test_client()
        data["csrf_token"] = _token(other.get("/auth/login").get_data(as_text=True))
    response = client.post(address, data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert EXPIRED in page
    assert "A long comment I would hate to type twice" in page and "Vague" in page
    assert db.session.query(TeamResponseRow).count() == 0


def test_a_refused_post_keeps_the_draft_saved_before(client, member_on_the_form):
    review, address = member_on_the_form
    first = {**_typed(review), "csrf_token": _token(client.get(address).get_data(as_text=True))}
    assert client.post(address, data=first).status_code == 302
    changed = {**_typed(review), "comment__honesty": "Changed without a token"}
    assert client.post(address, data=changed).status_code == 400
    row = db.session.query(TeamResponseRow).one()
    assert row.status == "draft"
    assert {a.comment for a in row.answers if a.dimension_key == "honesty"} == {
        "A long comment I would hate to type twice"
    }


def test_the_token_from_the_page_saves(client, member_on_the_form):
    review, address = member_on_the_form
    data = {**_typed(review), "csrf_token": _token(client.get(address).get_data(as_text=True))}
    assert client.post(address, data=data).status_code == 302
    assert db.session.query(TeamResponseRow).one().status == "draft"


def test_over_https_a_foreign_referrer_is_refused_as_the_global_check_refuses_it(
    client, member_on_the_form
):
    review, address = member_on_the_form
    data = {**_typed(review), "csrf_token": _token(client.get(address).get_data(as_text=True))}
    https = {"base_url": "https://localhost"}
    foreign = client.post(address, data=data, headers={"Referer": "https://evil.example/"}, **https)
    assert foreign.status_code == 400 and EXPIRED in foreign.get_data(as_text=True)
    assert db.session.query(TeamResponseRow).count() == 0
    own = client.post(address, data=data, headers={"Referer": "https://localhost/"}, **https)
    assert own.status_code == 302
