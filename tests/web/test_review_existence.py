"""A review the user may not see answers exactly like one that does not exist (issue 15):
otherwise the difference between 403 and 404 tells how many reviews there are."""

import re

import pytest

from app.extensions import db
from app.models import TeamResponseRow
from tests import factories as f
from tests.web.conftest import answer_form

PATHS = (
    "/reviews/{id}",
    "/reviews/{id}/answer",
    "/reviews/{id}/compare",
    "/graphs/reviews/{id}/divergence.svg",
)


def _without_csrf_token(body: bytes) -> bytes:
    return re.sub(rb'name="csrf_token" value="[^"]*"', b'name="csrf_token" value=""', body)


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("role", ["member", "lead"])
def test_a_forbidden_review_and_a_missing_one_look_the_same(
    client, make_user, make_client, login, path, role
):
    lead = make_user("lead")
    review = f.open_review(lead, make_client(actor=lead), [make_user() for _ in range(3)])
    login(client, make_user(role))
    forbidden = client.get(path.format(id=review.id))
    missing = client.get(path.format(id=review.id + 1000))
    assert forbidden.status_code == missing.status_code == 404
    # The signed CSRF token in the logout form carries a timestamp: two requests a second
    # apart differ there whatever the review; everything else must be identical.
    assert _without_csrf_token(forbidden.data) == _without_csrf_token(missing.data)


def test_a_lead_action_on_someone_elses_review_is_a_404_too(client, make_user, make_client, login):
    lead = make_user("lead")
    review = f.open_review(lead, make_client(actor=lead), [make_user() for _ in range(3)])
    login(client, make_user("lead"))
    assert client.post(f"/reviews/{review.id}/close").status_code == 404
    assert client.post(f"/reviews/{review.id + 1000}/close").status_code == 404


@pytest.mark.parametrize("role", ["member", "lead"])
def test_an_answer_posted_to_a_forbidden_review_and_a_missing_one_look_the_same(
    client, make_user, make_client, login, role
):
    # A post is saved before the review is read for the page (answer_views._save_at_once):
    # whatever the save refuses still goes the long way, to the same 404.
    lead = make_user("lead")
    review = f.open_review(lead, make_client(actor=lead), [make_user() for _ in range(3)])
    login(client, make_user(role))
    form = answer_form(f.ensure_catalogue())
    forbidden = client.post(f"/reviews/{review.id}/answer", data=form)
    missing = client.post(f"/reviews/{review.id + 1000}/answer", data=form)
    assert forbidden.status_code == missing.status_code == 404
    assert _without_csrf_token(forbidden.data) == _without_csrf_token(missing.data)
    assert db.session.query(TeamResponseRow).count() == 0


def test_the_lead_who_posts_an_answer_to_their_own_review_is_refused(
    client, make_user, make_client, login
):
    lead = make_user("lead")
    review = f.open_review(lead, make_client(actor=lead), [make_user() for _ in range(3)])
    login(client, lead)
    response = client.post(f"/reviews/{review.id}/answer", data=answer_form(f.ensure_catalogue()))
    assert response.status_code == 403
    assert db.session.query(TeamResponseRow).count() == 0
