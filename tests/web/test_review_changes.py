"""One open review per client; cancelling an open review with a reason; changing its
team, quorum and deadline while open."""

import json
from datetime import timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import AuditEvent, Client, Review, ReviewParticipant, TeamResponseRow, utcnow
from tests import factories as f
from tests.web.conftest import CONFIRM_STEP


def _open_form(client_row, members):
    return {
        "client": str(client_row.id),
        "conflict": "Another conflict.",
        "participants": [str(m.id) for m in members],
        "deadline": (utcnow() + timedelta(days=5)).date().isoformat(),
        "quorum": "3",
        "complexity_floor": "3",
    }


def test_a_second_open_review_of_a_client_is_refused_naming_the_open_one(
    client, login, review_team
):
    lead, members, _, agency_client = review_team
    first = f.open_review(lead, agency_client, members)
    login(client, lead)
    response = client.post("/reviews/new", data=_open_form(agency_client, members))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f"already has an open review (#{first.id}" in page
    assert f'<p class="holding-link"><a href="/reviews/{first.id}">Go to review #{first.id}' in page
    assert db.session.query(Review).count() == 1


def test_the_database_holds_one_open_review_per_client(review_team):
    lead, members, _, agency_client = review_team
    first = f.open_review(lead, agency_client, members)
    f.review_beside(first, "open")
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


@pytest.mark.parametrize("language", ["en", "da", "hu"])
def test_a_closed_review_holds_its_client_until_decided(client, login, review_team, language):
    """Its results have been seen: they reach the archive before another review opens
    (no closing, looking and starting again until the verdict suits)."""
    lead, members, _, agency_client = review_team
    first = f.open_review(lead, agency_client, members)
    for m in members:
        f.submit(first, m, f.full_response(choices={"muddy": "No goals."}))
    f.client_answers(first, lead)
    f.close(first, lead)
    login(client, lead)
    refused = client.post(
        "/reviews/new",
        data=_open_form(agency_client, members),
        headers={"Accept-Language": language},
    )
    assert refused.status_code == 400 and db.session.query(Review).count() == 1
    page = refused.get_data(as_text=True)
    assert HELD_BY_CLOSED[language].format(id=first.id) in page
    assert f'<p class="holding-link"><a href="/reviews/{first.id}">' in page  # one click away
    not_confirmed = {"outcome__muddy": "not_confirmed", "rationale": "Not shared.", **CONFIRM_STEP}
    assert client.post(f"/reviews/{first.id}/decide", data=not_confirmed).status_code == 302
    opened = client.post("/reviews/new", data=_open_form(agency_client, members))
    assert opened.status_code == 302 and db.session.query(Review).count() == 2


HELD_BY_CLOSED = {  # the message names the review that holds the client, its name escaped
    "en": "Client &lt;b&gt;Bold&lt;/b&gt; AS has a closed review (#{id}, closed ",
    "da": "Client &lt;b&gt;Bold&lt;/b&gt; AS har en lukket evaluering (nr. {id}, lukket ",
    "hu": "el nem döntött felülvizsgálata: Client &lt;b&gt;Bold&lt;/b&gt; AS (#{id}, lezárva: ",
}


def test_cancelling_keeps_answers_audits_and_restores_the_client_status(client, login, review_team):
    lead, members, _, agency_client = review_team
    assert agency_client.status == "active"
    review = f.open_review(lead, agency_client, members)
    f.submit(review, members[0])
    assert db.session.get(Client, agency_client.id).status == "under_review"
    login(client, lead)
    assert client.get(f"/reviews/{review.id}/cancel").status_code == 200
    refused = client.post(f"/reviews/{review.id}/cancel", data={"reason": "   "})
    assert refused.status_code == 400
    assert db.session.get(Review, review.id).state == "open"
    done = client.post(
        f"/reviews/{review.id}/cancel", data={"reason": "Opened for the wrong project <b>x</b>"}
    )
    assert done.status_code == 302
    stored = db.session.get(Review, review.id)
    assert stored.state == "cancelled" and stored.cancelled_by_id == lead.id
    assert db.session.get(Client, agency_client.id).status == "active"
    assert db.session.query(TeamResponseRow).filter_by(review_id=review.id).count() == 1
    event = db.session.query(AuditEvent).filter_by(action="review.cancelled").one()
    details = json.loads(event.details)
    assert details["reason"].startswith("Opened for the wrong") and details["answers_kept"] == 1
    page = client.get(f"/reviews/{review.id}").get_data(as_text=True)
    assert "Cancelled on" in page and "&lt;b&gt;x&lt;/b&gt;" in page
    assert client.get(f"/reviews/{review.id}/compare").status_code == 403
    # A cancelled review cannot be cancelled again, answered or decided; a new one may open.
    again = client.post(f"/reviews/{review.id}/cancel", data={"reason": "again"})
    assert again.status_code == 302
    assert db.session.query(AuditEvent).filter_by(action="review.cancelled").count() == 1
    assert client.get(f"/reviews/{review.id}/decide").status_code in (302, 403, 409)
    assert client.post("/reviews/new", data=_open_form(agency_client, members)).status_code == 302


def test_only_the_lead_cancels_and_huge_reasons_are_refused(client, login, review_team, make_user):
    lead, members, _, agency_client = review_team
    review = f.open_review(lead, agency_client, members)
    login(client, members[0])
    assert client.post(f"/reviews/{review.id}/cancel", data={"reason": "x"}).status_code == 403
    client.post("/auth/logout")
    login(client, make_user("lead"))  # not part of the review: the 404 of a missing one
    assert client.post(f"/reviews/{review.id}/cancel", data={"reason": "x"}).status_code == 404
    client.post("/auth/logout")
    login(client, lead)
    huge = client.post(f"/reviews/{review.id}/cancel", data={"reason": "x" * 10_000})
    assert huge.status_code == 400
    assert client.post("/reviews/999999/cancel", data={"reason": "x"}).status_code == 404
    assert db.session.get(Review, review.id).state == "open"


def test_changing_the_team_quorum_and_deadline_is_audited_and_never_drops_an_answer(
    client, login, review_team, make_user
):
    lead, members, outsider, agency_client = review_team
    review = f.open_review(lead, agency_client, members)
    f.submit(review, members[0])
    login(client, lead)
    page = client.get(f"/reviews/{review.id}/change").get_data(as_text=True)
    assert "(submitted)" in page
    new_deadline = (utcnow() + timedelta(days=20)).date().isoformat()
    base = {"quorum": "3", "deadline": new_deadline}
    # Removing a member who submitted is refused.
    refused = client.post(
        f"/reviews/{review.id}/change",
        data={**base, "participants": [str(m.id) for m in (*members[1:], outsider)]},
    )
    assert refused.status_code == 400
    assert b"cannot be removed" in refused.data
    # A quorum above the team, a deadline in the past: refused.
    team = [str(m.id) for m in (*members, outsider)]
    for bad in ({"quorum": "9"}, {"deadline": "2001-01-01"}, {"quorum": "0"}):
        response = client.post(
            f"/reviews/{review.id}/change", data={**base, "participants": team, **bad}
        )
        assert response.status_code == 400
    # Swapping an unanswered member for the outsider, with a new quorum and deadline.
    team = [str(m.id) for m in (members[0], members[1], outsider)]
    below_minimum = client.post(
        f"/reviews/{review.id}/change", data={**base, "participants": team, "quorum": "2"}
    )
    assert below_minimum.status_code == 400  # the deployment's minimum is 3
    done = client.post(f"/reviews/{review.id}/change", data={**base, "participants": team})
    assert done.status_code == 302
    stored = db.session.get(Review, review.id)
    people = {p.user_id for p in db.session.query(ReviewParticipant).filter_by(review_id=review.id)}
    assert people == {members[0].id, members[1].id, outsider.id}
    assert stored.deadline.date().isoformat() == new_deadline
    labels = [p.label for p in stored.participants]
    assert len(set(labels)) == 3
    event = db.session.query(AuditEvent).filter_by(action="review.changed").one()
    details = json.loads(event.details)
    assert details["added"] == [outsider.id] and details["removed"] == [members[2].id]
    # The removed member no longer reaches the form; the added one does.
    client.post("/auth/logout")
    login(client, members[2])  # no longer part of the review: the 404 of a missing one
    assert client.get(f"/reviews/{review.id}/answer").status_code == 404
    client.post("/auth/logout")
    login(client, outsider)
    assert client.get(f"/reviews/{review.id}/answer").status_code == 200


def test_forged_participant_ids_and_other_leads_are_refused(client, login, review_team, make_user):
    lead, members, _, agency_client = review_team
    review = f.open_review(lead, agency_client, members)
    login(client, lead)
    data = {
        "participants": [str(m.id) for m in members] + ["999999"],
        "quorum": "3",
        "deadline": (utcnow() + timedelta(days=9)).date().isoformat(),
    }
    assert client.post(f"/reviews/{review.id}/change", data=data).status_code == 400
    client.post("/auth/logout")
    login(client, make_user("lead"))  # not part of the review: the 404 of a missing one
    assert client.post(f"/reviews/{review.id}/change", data=data).status_code == 404
    assert len(db.session.get(Review, review.id).participants) == 3


@pytest.mark.parametrize("path", ["/reviews/new", "/reviews/{id}/change"])
def test_a_right_to_left_name_cannot_reorder_a_participants_address(
    client, login, review_team, make_user, path
):
    """Opening and changing a review label the team's checkboxes alike: each name and
    address isolated, escaped, and the words one item that wraps at a phone's width."""
    lead, members, _, agency_client = review_team
    review = f.open_review(lead, agency_client, members)
    make_user("member", email="rtl@example.com", name="Mallory \u202e<i>moc.live</i>")
    login(client, lead)
    page = client.get(path.format(id=review.id)).get_data(as_text=True)
    isolated = (
        '<span class="check-text"><bdi>Mallory \u202e&lt;i&gt;moc.live&lt;/i&gt;</bdi> '
        "(<bdi>rtl@example.com</bdi>)"
    )
    assert isolated in page and "<i>moc" not in page


def test_a_closed_reviews_page_tells_its_lead_that_it_holds_the_client(client, login, review_team):
    lead, members, _, agency_client = review_team
    review = f.open_review(lead, agency_client, members)
    for m in members:
        f.submit(review, m)
    note = "No other review of this client can be opened until this one is decided"
    login(client, lead)
    assert note not in client.get(f"/reviews/{review.id}").get_data(as_text=True)  # open
    f.close(review, lead)
    assert note in client.get(f"/reviews/{review.id}").get_data(as_text=True)
    client.post("/auth/logout")
    login(client, members[0])  # a member has nothing to decide
    assert note not in client.get(f"/reviews/{review.id}").get_data(as_text=True)
