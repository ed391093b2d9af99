"""Close, compare and decide through the web layer."""

from datetime import timedelta

import pytest

from app.extensions import db
from app.models import AuditEvent, Client, Decision, Review, utcnow
from tests import factories as f
from tests.web.conftest import CLOSE, CONFIRM_STEP


def _ready(review_team, rating=4, client_rating=4, confidence=80, client_view=True, choices=None):
    lead, members, _, agency_client = review_team
    review = f.open_review(lead, agency_client, members)
    for m in members:
        f.submit(
            review,
            m,
            f.full_response(
                rating=rating,
                confidence=confidence,
                choices=choices or {"muddy": "No written goals."},
            ),
        )
    if client_view:
        f.client_answers(review, lead, rating=client_rating)
    return review


def test_close_is_refused_below_quorum_before_the_deadline(client, login, review_team):
    lead, members, _, agency_client = review_team
    review = f.open_review(lead, agency_client, members)
    f.submit(review, members[0])
    login(client, lead)
    response = client.post(f"/reviews/{review.id}/close", data=CLOSE, follow_redirects=True)
    assert b"1 of 3" in response.data or b"quorum" in response.data
    assert db.session.get(Review, review.id).state == "open"


def test_the_lead_closes_and_participants_see_the_comparison(client, login, review_team):
    lead, members, outsider, _ = review_team
    review = _ready(review_team)
    login(client, lead)
    assert client.post(f"/reviews/{review.id}/close", data=CLOSE).status_code == 302
    assert db.session.get(Review, review.id).state == "closed"
    assert client.get(f"/reviews/{review.id}/compare").status_code == 200
    client.post("/auth/logout")
    login(client, members[1])
    page = client.get(f"/reviews/{review.id}/compare")
    assert page.status_code == 200 and b"Team and client compared" in page.data
    client.post("/auth/logout")
    login(client, outsider)
    assert client.get(f"/reviews/{review.id}/compare").status_code == 404  # as if missing


def test_a_member_cannot_close_and_a_lead_of_another_review_cannot_either(
    client, login, review_team, make_user
):
    lead, members, _, _ = review_team
    review = _ready(review_team)
    login(client, members[0])
    assert client.post(f"/reviews/{review.id}/close", data=CLOSE).status_code == 403
    client.post("/auth/logout")
    login(client, make_user("lead"))
    # Not part of the review: the 404 of a missing one (issue 15).
    assert client.post(f"/reviews/{review.id}/close", data=CLOSE).status_code == 404
    assert db.session.get(Review, review.id).state == "open"


def test_the_comparison_is_403_for_everyone_while_open(client, login, review_team):
    lead, members, _, _ = review_team
    review = _ready(review_team)
    for user in (lead, members[0]):
        login(client, user)
        assert client.get(f"/reviews/{review.id}/compare").status_code == 403
        assert client.get(f"/reviews/{review.id}/decide").status_code == 403
        client.post("/auth/logout")


def test_the_comparison_shows_numbers_verdict_and_paradox_flag(client, login, review_team):
    lead = review_team[0]
    review = _ready(review_team, rating=5, confidence=95, client_rating=1)
    f.close(review, lead)
    login(client, lead)
    page = client.get(f"/reviews/{review.id}/compare").get_data(as_text=True)
    assert "Overconfidence paradox" in page
    assert "5.00" in page and "4.00" in page  # team mean 5, gap 5 - 1 = 4
    assert "cannot be confirmed" in page
    assert "chosen by 3 of 3 respondents" in page


def test_a_confirmation_is_recorded_and_the_client_is_blacklisted(client, login, review_team):
    lead, _, _, agency_client = review_team
    review = _ready(review_team)
    f.close(review, lead)
    login(client, lead)
    response = client.post(
        f"/reviews/{review.id}/decide",
        data={
            "outcome__muddy": "confirmed",
            "rationale": "Everyone agrees, the client too.",
            **CONFIRM_STEP,
        },
    )
    assert response.status_code == 302
    decision = db.session.query(Decision).one()
    assert decision.any_confirmed and decision.record["outcomes"] == {"muddy": "confirmed"}
    assert db.session.get(Client, agency_client.id).status == "blacklisted"
    assert db.session.get(Review, review.id).state == "decided"
    assert db.session.query(AuditEvent).filter_by(action="review.decided").count() == 1


def test_confirming_a_failing_verdict_is_refused_and_nothing_is_recorded(
    client, login, review_team
):
    lead, _, _, agency_client = review_team
    review = _ready(review_team, rating=5, confidence=95, client_rating=1)
    f.close(review, lead)
    login(client, lead)
    response = client.post(
        f"/reviews/{review.id}/decide", data={"outcome__muddy": "confirmed", "rationale": "Sure."}
    )
    assert response.status_code == 400 and b"cannot be confirmed" in response.data
    assert db.session.query(Decision).count() == 0
    assert db.session.get(Client, agency_client.id).status == "under_review"


def test_a_decision_without_client_view_needs_a_waiver(client, login, review_team):
    lead, _, _, agency_client = review_team
    review = _ready(review_team, client_view=False)
    f.close(review, lead)
    login(client, lead)
    data = {"outcome__muddy": "not_confirmed", "rationale": "Not enough."}
    refused = client.post(f"/reviews/{review.id}/decide", data=data)
    assert refused.status_code == 400 and b"never counts as agreement" in refused.data
    assert db.session.query(Decision).count() == 0
    ok = client.post(
        f"/reviews/{review.id}/decide",
        data={
            **data,
            "waiver_reason": "Client stopped answering e-mails.",
            "clear_client": "y",
            **CONFIRM_STEP,
        },
    )
    assert ok.status_code == 302
    decision = db.session.query(Decision).one()
    assert decision.one_sided and decision.final_status == "cleared"
    assert db.session.get(Client, agency_client.id).status == "cleared"


@pytest.mark.parametrize(
    "data",
    [
        {"outcome__muddy": "confirmed", "rationale": ""},
        {"outcome__muddy": "maybe", "rationale": "x"},
        {"outcome__muddy": "not_confirmed", "rationale": "x" * 10_001},
    ],
)
def test_bad_decision_input_is_refused(client, login, review_team, data):
    lead = review_team[0]
    review = _ready(review_team)
    f.close(review, lead)
    login(client, lead)
    assert client.post(f"/reviews/{review.id}/decide", data=data).status_code == 400
    assert db.session.query(Decision).count() == 0


def test_a_second_decision_is_refused_and_the_first_kept(client, login, review_team):
    lead = review_team[0]
    review = _ready(review_team)
    f.close(review, lead)
    login(client, lead)
    client.post(
        f"/reviews/{review.id}/decide",
        data={"outcome__muddy": "confirmed", "rationale": "First.", **CONFIRM_STEP},
    )
    again = client.post(
        f"/reviews/{review.id}/decide",
        data={"outcome__muddy": "not_confirmed", "rationale": "Second.", **CONFIRM_STEP},
        follow_redirects=True,
    )
    assert b"already decided" in again.data
    assert [d.rationale for d in db.session.query(Decision).all()] == ["First."]


def test_members_and_other_leads_cannot_decide(client, login, review_team, make_user):
    lead, members, _, _ = review_team
    review = _ready(review_team)
    f.close(review, lead)
    # A participant is refused (403); another lead is not part of it: 404, as if missing.
    for user, status in ((members[0], 403), (make_user("lead"), 404)):
        login(client, user)
        response = client.post(
            f"/reviews/{review.id}/decide", data={"outcome__muddy": "confirmed", "rationale": "x"}
        )
        assert response.status_code == status
        client.post("/auth/logout")
    assert db.session.query(Decision).count() == 0


def test_names_appear_only_for_members_who_agreed(client, login, review_team):
    lead, members, _, agency_client = review_team
    review = f.open_review(lead, agency_client, members)
    f.submit(
        review, members[0], f.full_response(choices={"muddy": "Named evidence"}, consent_named=True)
    )
    f.submit(review, members[1], f.full_response(choices={"muddy": "Anonymous evidence"}))
    f.submit(review, members[2])
    f.close(review, lead)
    login(client, lead)
    page = client.get(f"/reviews/{review.id}/compare").get_data(as_text=True)
    assert "Member One" in page
    assert "Member Two" not in page and "Member Three" not in page


def test_deadline_passed_lets_the_lead_close_below_quorum(client, login, review_team):
    lead, members, _, agency_client = review_team
    review = f.open_review(lead, agency_client, members)
    f.submit(review, members[0])
    stored = db.session.get(Review, review.id)
    stored.deadline = utcnow() - timedelta(minutes=1)
    db.session.commit()
    login(client, lead)
    client.post(f"/reviews/{review.id}/close", data=CLOSE)
    assert db.session.get(Review, review.id).state == "closed"


def test_the_lead_extends_the_deadline_of_an_open_review(client, login, review_team):
    lead, members, _, agency_client = review_team
    review = f.open_review(lead, agency_client, members)
    old = db.session.get(Review, review.id).deadline
    login(client, lead)
    for bad in (
        {"deadline": ""},
        {"deadline": "not-a-date"},
        {"deadline": "2020-01-01"},
        {"deadline": (old - timedelta(days=1)).date().isoformat()},
    ):
        client.post(f"/reviews/{review.id}/deadline", data=bad)
        assert db.session.get(Review, review.id).deadline == old, bad
    response = client.post(
        f"/reviews/{review.id}/deadline", data={"deadline": "2099-06-30"}, follow_redirects=True
    )
    assert b"Deadline moved" in response.data
    assert db.session.get(Review, review.id).deadline.isoformat() == "2099-06-30T23:59:59+00:00"
    assert db.session.query(AuditEvent).filter_by(action="review.deadline_extended").count() == 1


def test_a_closed_reviews_deadline_cannot_move(client, login, review_team):
    lead = review_team[0]
    review = _ready(review_team)
    f.close(review, lead)
    login(client, lead)
    response = client.post(
        f"/reviews/{review.id}/deadline", data={"deadline": "2099-06-30"}, follow_redirects=True
    )
    assert b"closed" in response.data
    assert db.session.get(Review, review.id).deadline.year != 2099


def test_an_empty_review_past_its_deadline_offers_no_close_and_refuses_one(
    client, login, review_team
):
    lead, members, _, agency_client = review_team
    review = f.open_review(lead, agency_client, members)
    stored = db.session.get(Review, review.id)
    stored.deadline = utcnow() - timedelta(minutes=1)
    db.session.commit()
    login(client, lead)
    assert b"Close the review" not in client.get(f"/reviews/{review.id}").data
    response = client.post(f"/reviews/{review.id}/close", data=CLOSE, follow_redirects=True)
    assert b"Nobody has submitted an answer yet" in response.data
    assert db.session.get(Review, review.id).state == "open"
