"""Too few respondents: below the minimum no aggregate is shown (one member's "average" is
that member's answers), the lead can still end the review confirming nothing, and a
deployment that lowers the minimum says so on the verdict and in the archive."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from app.extensions import db
from app.models import Decision, Review, utcnow
from tests import factories as f
from tests.web.chart_helpers import KINDS, url
from tests.web.conftest import CONFIRM_STEP


def one_respondent_past_deadline(make_user, make_client):
    """A review of three members of whom one answered, closed by its lead once the deadline
    passed (a deadline lets a review close below the quorum)."""
    lead, member = make_user("lead"), make_user("member")
    team = [member, make_user("member"), make_user("member")]
    review = f.open_review(lead, make_client(actor=lead), team, deadline_days=1)
    f.submit(review, member)
    db.session.execute(
        update(Review).where(Review.id == review.id).values(deadline=utcnow() - timedelta(hours=1))
    )
    db.session.commit()
    f.close(review, lead)
    return lead, review


def test_a_deadline_closed_review_with_one_respondent_shows_no_results_and_confirms_nothing(
    client, login, make_user, make_client
):
    lead, review = one_respondent_past_deadline(make_user, make_client)
    login(client, lead)
    # One respondent's "aggregate" is that member's answers: no chart, no comparison.
    for kind in KINDS:
        assert client.get(url(review, kind)).status_code == 403
    page = client.get(f"/reviews/{review.id}/compare")
    assert page.status_code == 200
    assert b"Too few answers to show results" in page.data
    assert b"team-mean" not in page.data and b"<table" not in page.data
    # The lead can still end the review, confirming nothing.
    decide = client.get(f"/reviews/{review.id}/decide")
    assert decide.status_code == 200 and b"outcome__" not in decide.data
    done = client.post(
        f"/reviews/{review.id}/decide",
        data={"rationale": "Only one member answered.", **CONFIRM_STEP},
    )
    assert done.status_code == 302
    decision = db.session.query(Decision).filter_by(review_id=review.id).one()
    assert decision.record["withheld"] == {"respondents": 1, "needed": 3}
    assert decision.record["scores"] is None and not decision.any_confirmed
    archived = client.get(f"/archive/{decision.id}")
    assert archived.status_code == 200


def test_a_lowered_minimum_warns_on_the_verdict(client, login, make_user, make_client, app):
    from app.domain.thresholds import Thresholds

    app.extensions["candor_thresholds"] = Thresholds(min_respondents=2, quorum=2)
    lead = make_user("lead")
    team = [make_user("member"), make_user("member")]
    review = f.open_review(lead, make_client(actor=lead), team, quorum=2)
    for member in team:
        f.submit(review, member, f.full_response(choices={"muddy": "No written goals."}))
    f.close(review, lead)
    login(client, lead)
    page = client.get(f"/reviews/{review.id}/compare")
    assert page.status_code == 200
    assert b"shows results from only 2 respondents" in page.data
    done = client.post(
        f"/reviews/{review.id}/decide",
        data={
            "rationale": "Two views only.",
            "outcome__muddy": "not_confirmed",
            "waiver_reason": "The client did not answer.",
            **CONFIRM_STEP,
        },
    )
    assert done.status_code == 302
    decision = db.session.query(Decision).filter_by(review_id=review.id).one()
    assert decision.record["thresholds"]["min_respondents"] == "2"
    assert b"from only 2 respondents" in client.get(f"/archive/{decision.id}").data


def test_the_withheld_decision_form_refuses_bad_input_and_a_double_submit(
    client, login, make_user, make_client
):
    lead, review = one_respondent_past_deadline(make_user, make_client)
    login(client, lead)
    url_ = f"/reviews/{review.id}/decide"
    for data in ({}, {"rationale": "   "}, {"rationale": "x" * 100_000}):
        refused = client.post(url_, data=data)
        assert refused.status_code == 400
        assert db.session.query(Decision).count() == 0
    html = client.post(
        url_,
        data={
            "rationale": "<script>alert(1)</script>",
            "outcome__muddy": "confirmed",
            **CONFIRM_STEP,
        },
    )
    assert html.status_code == 302  # a forged outcome field is not part of this form
    decision = db.session.query(Decision).one()
    assert not decision.any_confirmed and decision.record["outcomes"] == {}
    again = client.post(url_, data={"rationale": "Twice."})
    assert again.status_code == 302 and db.session.query(Decision).count() == 1
    page = client.get(f"/archive/{decision.id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
