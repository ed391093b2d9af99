"""A client that skipped a linked question: not assessed, confirmable only with the lead's
written reason, and then one-sided in the archive."""

from app.extensions import db
from app.models import Client, Decision, utcnow
from app.services import client_links
from tests import factories as f
from tests.web.conftest import CONFIRM_STEP


def _skipped_delivery(review_team):
    lead, members, _, agency_client = review_team
    review = f.open_review(lead, agency_client, members)
    for member in members:
        f.submit(review, member, f.full_response(choices={"muddy": "No written goals."}))
    catalogue = f.ensure_catalogue()
    token = client_links.issue_link(review.id, lead, utcnow(), send_email=False)[1]
    ratings = {d.key: 4 for d in catalogue.dimensions if d.key != "delivery_quality"}
    client_links.submit_client_view(token, ratings, {}, "", utcnow())
    f.close(review, lead)
    return lead, review


def test_confirming_over_a_skipped_question_needs_a_reason_and_is_one_sided(
    client, login, review_team
):
    lead, review = _skipped_delivery(review_team)
    login(client, lead)
    page = client.get(f"/reviews/{review.id}/decide").get_data(as_text=True)
    assert "The client skipped questions linked to a category" in page
    assert 'name="waiver_reason"' in page
    compare = client.get(f"/reviews/{review.id}/compare").get_data(as_text=True)
    assert "Not assessed: the client skipped this question" in compare
    refused = client.post(
        f"/reviews/{review.id}/decide",
        data={"outcome__muddy": "confirmed", "rationale": "We are sure."},
    )
    assert refused.status_code == 400
    assert "The client skipped" in refused.get_data(as_text=True)
    assert db.session.query(Decision).count() == 0
    done = client.post(
        f"/reviews/{review.id}/decide",
        data={
            "outcome__muddy": "confirmed",
            "rationale": "We are sure.",
            "waiver_reason": "The client said it cannot judge our delivery.",
            **CONFIRM_STEP,
        },
    )
    assert done.status_code == 302
    decision = db.session.query(Decision).one()
    assert decision.one_sided and decision.any_confirmed
    archived = client.get(f"/archive/{decision.id}").get_data(as_text=True)
    assert "one-sided" in archived
    assert db.session.get(Client, decision.client_id).status == "blacklisted"
