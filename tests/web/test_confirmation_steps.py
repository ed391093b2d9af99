"""Irreversible steps ask first: deciding shows a confirmation page naming the client's
next status, closing needs a ticked box; and the one-sided rule reads the same everywhere."""

from app.extensions import db
from app.models import Client, Decision, Review
from tests import factories as f
from tests.web.conftest import CLOSE, CONFIRM_STEP
from tests.web.test_review_decide import _ready


def test_deciding_first_shows_a_confirmation_naming_the_next_client_status(
    client, login, review_team
):
    lead, _, _, agency_client = review_team
    review = _ready(review_team)
    f.close(review, lead)
    login(client, lead)
    data = {"outcome__muddy": "confirmed", "rationale": "Line one\nLine <b>two</b>"}
    shown = client.post(f"/reviews/{review.id}/decide", data=data)
    page = shown.get_data(as_text=True)
    assert shown.status_code == 200
    assert "Confirming sets" in page and "Blacklisted" in page
    assert 'name="confirmed" type="hidden" value="1"' in page
    assert 'value="Line one\nLine &lt;b&gt;two&lt;/b&gt;"' in page
    assert db.session.query(Decision).count() == 0
    assert db.session.get(Client, agency_client.id).status == "under_review"
    # "Change" goes back to the form with the values kept, recording nothing.
    back = client.post(
        f"/reviews/{review.id}/decide", data={**data, "confirmed": "1", "change": "1"}
    )
    assert back.status_code == 200 and "Record the decision" in back.get_data(as_text=True)
    assert "Line one" in back.get_data(as_text=True)
    assert db.session.query(Decision).count() == 0
    done = client.post(f"/reviews/{review.id}/decide", data={**data, **CONFIRM_STEP})
    assert done.status_code == 302
    assert db.session.get(Client, agency_client.id).status == "blacklisted"


def test_nothing_confirmed_names_active_or_cleared(client, login, review_team):
    lead = review_team[0]
    review = _ready(review_team)
    f.close(review, lead)
    login(client, lead)
    data = {"outcome__muddy": "not_confirmed", "rationale": "Not enough."}
    page = client.post(f"/reviews/{review.id}/decide", data=data).get_data(as_text=True)
    assert "Active" in page and "Blacklisted" not in page
    page = client.post(f"/reviews/{review.id}/decide", data={**data, "clear_client": "y"}).get_data(
        as_text=True
    )
    assert "Cleared" in page


def test_a_refused_decision_is_refused_before_the_confirmation_page(client, login, review_team):
    lead = review_team[0]
    review = _ready(review_team, rating=5, confidence=95, client_rating=1)
    f.close(review, lead)
    login(client, lead)
    response = client.post(
        f"/reviews/{review.id}/decide", data={"outcome__muddy": "confirmed", "rationale": "x"}
    )
    assert response.status_code == 400 and b"Confirming sets" not in response.data


def test_closing_needs_the_confirmation_box(client, login, review_team):
    lead = review_team[0]
    review = _ready(review_team)
    login(client, lead)
    detail = client.get(f"/reviews/{review.id}").get_data(as_text=True)
    assert 'name="confirm" required type="checkbox"' in detail
    refused = client.post(f"/reviews/{review.id}/close", follow_redirects=True)
    assert b"tick the box" in refused.data
    assert db.session.get(Review, review.id).state == "open"
    assert client.post(f"/reviews/{review.id}/close", data=CLOSE).status_code == 302
    assert db.session.get(Review, review.id).state == "closed"


def test_without_a_client_view_a_waived_confirmation_never_reads_all_conditions_hold(
    client, login, review_team
):
    lead = review_team[0]
    review = _ready(review_team, client_view=False)
    f.close(review, lead)
    login(client, lead)
    decide = client.get(f"/reviews/{review.id}/decide").get_data(as_text=True)
    assert "can be confirmed only one-sided" in decide
    # The confirm choice is offered (with a reason), not disabled.
    assert 'value="confirmed" disabled' not in decide
    data = {
        "outcome__muddy": "confirmed",
        "rationale": "The team is sure.",
        "waiver_reason": "The client stopped answering.",
    }
    shown = client.post(f"/reviews/{review.id}/decide", data=data).get_data(as_text=True)
    assert "This decision is one-sided" in shown and "Blacklisted" in shown
    done = client.post(f"/reviews/{review.id}/decide", data={**data, **CONFIRM_STEP})
    assert done.status_code == 302
    decision = db.session.query(Decision).one()
    assert decision.one_sided
    for url in (f"/archive/{decision.id}", f"/reviews/{review.id}/compare"):
        page = client.get(url).get_data(as_text=True)
        assert "every condition held" not in page and "every condition holds" not in page
        assert "only one-sided" in page
