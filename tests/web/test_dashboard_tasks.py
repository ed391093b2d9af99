"""The dashboard says what needs me now (answer, close, decide), each review once, and a
member sees that their draft is saved."""

import re
from datetime import timedelta

from sqlalchemy import update

from app.extensions import db
from app.models import Review, utcnow
from tests import factories as f
from tests.web.conftest import answer_form


def _review_ids(html: str) -> list[str]:
    return re.findall(r'data-review="(\d+)"', html)


def test_the_lead_sees_reviews_to_close_and_decide_each_once(
    client, login, review_team, make_client
):
    lead, members, _, agency_client = review_team
    closable = f.open_review(lead, agency_client, members)
    for m in members:
        f.submit(closable, m)
    to_decide = f.open_review(lead, make_client("Decide AS", actor=lead), members)
    for m in members:
        f.submit(to_decide, m)
    f.close(to_decide, lead)
    waiting = f.open_review(lead, make_client("Waiting AS", actor=lead), members)
    login(client, lead)
    page = client.get("/").get_data(as_text=True)
    assert sorted(_review_ids(page)) == sorted([str(closable.id), str(to_decide.id)])
    assert "Ready to close" in page and f"/reviews/{to_decide.id}/decide" in page
    # The waiting one is listed once, under "waiting for the team"; no review twice.
    links = re.findall(r'href="/reviews/(\d+)"', page)
    assert links.count(str(waiting.id)) == 1
    for review in (closable, to_decide, waiting):
        assert links.count(str(review.id)) <= 1


def test_a_member_sees_draft_saved_on_the_dashboard(client, login, review_team):
    lead, members, _, agency_client = review_team
    review = f.open_review(lead, agency_client, members)
    login(client, members[0])
    assert "not started" in client.get("/").get_data(as_text=True)
    catalogue = f.ensure_catalogue()
    client.post(f"/reviews/{review.id}/answer", data=answer_form(catalogue, submit=False))
    page = client.get("/").get_data(as_text=True)
    assert "draft saved" in page and "Continue my answer" in page
    assert _review_ids(page) == [str(review.id)]


def test_a_review_past_its_deadline_with_answers_is_ready_to_close(client, login, review_team):
    lead, members, _, agency_client = review_team
    review = f.open_review(lead, agency_client, members)
    f.submit(review, members[0])
    db.session.execute(
        update(Review).where(Review.id == review.id).values(deadline=utcnow() - timedelta(hours=1))
    )
    db.session.commit()
    login(client, lead)
    page = client.get("/").get_data(as_text=True)
    assert _review_ids(page) == [str(review.id)] and "Ready to close" in page
