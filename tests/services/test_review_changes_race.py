"""Racing leads: two reviews of one client opened at the same moment, or a cancel racing
a close, cannot both win (real threads, real transactions, PostgreSQL)."""

from datetime import timedelta

import pytest

from app.extensions import db
from app.models import Review, User, utcnow
from app.services import review_changes, review_opening, reviews
from app.services.errors import InvalidInput
from tests import factories as f
from tests.helpers import run_at_once


@pytest.mark.postgres_only
def test_two_leads_opening_a_review_of_one_client_at_once_open_one(app, make_user, make_client):
    f.ensure_catalogue()
    leads = [make_user("lead"), make_user("lead")]
    members = [make_user("member") for _ in range(3)]
    agency_client = make_client(actor=leads[0])

    def open_as(lead_id):
        def job():
            now = utcnow()
            return review_opening.open_review(
                db.session.get(User, lead_id),
                agency_client.id,
                "A conflict.",
                [m.id for m in members],
                now + timedelta(days=7),
                3,
                now,
            )

        return job

    results = run_at_once(app, [open_as(lead.id) for lead in leads])
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1, results
    assert isinstance(errors[0], InvalidInput) and errors[0].code == "review_already_open"
    assert db.session.query(Review).filter_by(client_id=agency_client.id).count() == 1


@pytest.mark.postgres_only
def test_a_cancel_racing_a_close_leaves_one_outcome(app, make_user, make_client):
    lead = make_user("lead")
    members = [make_user("member") for _ in range(3)]
    review = f.open_review(lead, make_client(actor=lead), members)
    for member in members:
        f.submit(review, member)

    def as_lead(action):
        return lambda: action(db.session.get(User, lead.id))

    results = run_at_once(
        app,
        [
            as_lead(lambda u: reviews.close_review(review.id, u, utcnow())),
            as_lead(
                lambda u: review_changes.cancel_review(review.id, u, "Wrong client.", utcnow())
            ),
        ],
    )
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1, results
    assert db.session.get(Review, review.id).state in ("closed", "cancelled")
