"""Racing requests lose nothing and cannot both win (real threads, real transactions)."""

import pytest

from app.domain.errors import DomainError
from app.extensions import db
from app.models import Decision, Review, TeamAnswerRow, TeamResponseRow, utcnow
from app.services import decisions, reviews
from app.services.decisions import DecisionInput
from app.services.errors import ConcurrentChange, ResponseAlreadySubmitted, ServiceError
from tests import factories as f
from tests.helpers import run_at_once


def test_twenty_members_submitting_at_once_are_all_kept(app, make_user, make_client):
    lead = make_user("lead")
    members = [make_user("member") for _ in range(20)]
    review = f.open_review(lead, make_client(actor=lead), members, quorum=20)
    response = f.full_response()

    def submit_as(member_id):
        from app.models import User

        return lambda: reviews.save_response(
            review.id, db.session.get(User, member_id), response, True, utcnow()
        )

    results = run_at_once(app, [submit_as(m.id) for m in members])
    assert [r for r in results if isinstance(r, Exception)] == []
    assert db.session.query(TeamResponseRow).filter_by(status="submitted").count() == 20
    answers = len(f.ensure_catalogue().dimensions)
    assert db.session.query(TeamAnswerRow).count() == 20 * answers


def test_the_same_member_submitting_twice_at_once_keeps_exactly_one(app, make_user, make_client):
    lead = make_user("lead")
    members = [make_user("member") for _ in range(3)]
    review = f.open_review(lead, make_client(actor=lead), members)
    reviews.save_response(review.id, members[0], f.full_response(rating=3), False, utcnow())

    def submit(rating):
        from app.models import User

        return lambda: reviews.save_response(
            review.id,
            db.session.get(User, members[0].id),
            f.full_response(rating=rating),
            True,
            utcnow(),
        )

    results = run_at_once(app, [submit(4), submit(2)])
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1, results
    assert isinstance(errors[0], (ResponseAlreadySubmitted, ServiceError, Exception))
    rows = db.session.query(TeamResponseRow).filter_by(user_id=members[0].id).all()
    assert len(rows) == 1 and rows[0].status == "submitted"


def test_two_leads_deciding_the_same_review_at_once_make_one_decision(app, make_user, make_client):
    lead = make_user("lead")
    admin = make_user("admin")
    members = [make_user("member") for _ in range(3)]
    review = f.open_review(lead, make_client(actor=lead), members)
    for m in members:
        f.submit(review, m, f.full_response(choices={"muddy": "x"}))
    f.client_answers(review, lead)
    f.close(review, lead)

    def decide(user_id, rationale):
        from app.models import User

        return lambda: decisions.decide_review(
            review.id,
            db.session.get(User, user_id),
            DecisionInput({"muddy": "confirmed"}, rationale),
            utcnow(),
        )

    results = run_at_once(app, [decide(lead.id, "by lead"), decide(admin.id, "by admin")])
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], (ConcurrentChange, DomainError)), results
    assert db.session.query(Decision).count() == 1


@pytest.mark.postgres_only
def test_two_closes_at_once_close_once(app, make_user, make_client):
    lead = make_user("lead")
    members = [make_user("member") for _ in range(3)]
    review = f.open_review(lead, make_client(actor=lead), members)
    for m in members:
        f.submit(review, m)

    def close():
        from app.models import User

        return lambda: reviews.close_review(review.id, db.session.get(User, lead.id), utcnow())

    results = run_at_once(app, [close(), close()])
    assert sum(isinstance(r, Exception) for r in results) == 1, results
    assert db.session.get(Review, review.id).state == "closed"


@pytest.mark.postgres_only
def test_fifty_members_submitting_at_once_are_all_kept(app, make_user, make_client):
    # Every answer now takes the review's lock first (PITFALLS 20): they queue, none is lost.
    lead = make_user("lead")
    members = [make_user("member") for _ in range(50)]
    review = f.open_review(lead, make_client(actor=lead), members, quorum=50)
    response = f.full_response()

    def submit_as(member_id):
        from app.models import User

        return lambda: reviews.save_response(
            review.id, db.session.get(User, member_id), response, True, utcnow()
        )

    results = run_at_once(app, [submit_as(m.id) for m in members])
    assert [r for r in results if isinstance(r, Exception)] == []
    assert db.session.query(TeamResponseRow).filter_by(status="submitted").count() == 50
    answers = len(f.ensure_catalogue().dimensions)
    assert db.session.query(TeamAnswerRow).count() == 50 * answers


@pytest.mark.postgres_only
def test_a_close_among_fifty_submissions_counts_exactly_those_before_it(
    app, make_user, make_client
):
    # Each submission lands before the close (and is counted by it) or is refused as
    # closed; nothing is stored after the close and nothing else fails.
    import json

    from app.domain.errors import ReviewAlreadyClosed
    from app.models import AuditEvent, User

    lead = make_user("lead")
    members = [make_user("member") for _ in range(53)]
    review = f.open_review(lead, make_client(actor=lead), members, quorum=3)
    for m in members[:3]:
        f.submit(review, m)
    response = f.full_response()

    def submit_as(member_id):
        return lambda: reviews.save_response(
            review.id, db.session.get(User, member_id), response, True, utcnow()
        )

    def close():
        return lambda: reviews.close_review(review.id, db.session.get(User, lead.id), utcnow())

    jobs = [submit_as(m.id) for m in members[3:]]
    jobs.insert(25, close())
    results = run_at_once(app, jobs)
    assert not isinstance(results[25], Exception), results[25]
    refused = [r for r in results if isinstance(r, Exception)]
    assert all(isinstance(r, ReviewAlreadyClosed) for r in refused), refused
    stored = db.session.query(TeamResponseRow).filter_by(status="submitted").count()
    assert stored == 53 - len(refused)
    closed = db.session.query(AuditEvent).filter_by(action="review.closed").one()
    assert json.loads(closed.details)["submitted"] == stored
    late = (
        db.session.query(AuditEvent)
        .filter(AuditEvent.action == "response.submitted", AuditEvent.id > closed.id)
        .count()
    )
    assert late == 0
