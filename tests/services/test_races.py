"""Races from issue 15, with real threads and real transactions: a member's concurrent
first saves and submits never fail with a 500 (PostgreSQL), and decisions on different
reviews never refuse each other (PostgreSQL and SQLite)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from app.extensions import db
from app.models import AuditEvent, Decision, TeamResponseRow, User, utcnow
from app.services import decisions, response_rows, reviews
from app.services.decisions import DecisionInput
from app.services.errors import ResponseAlreadySubmitted
from tests import factories as f
from tests.helpers import PASSWORD, run_at_once


@pytest.fixture
def open_review(make_user, make_client):
    lead = make_user("lead")
    members = [make_user("member") for _ in range(3)]
    return f.open_review(lead, make_client(actor=lead), members), members


def _form(rating: int) -> dict:
    """The answer form as a browser posts it, every question answered."""
    catalogue = f.ensure_catalogue()
    data = {"complexity": "3", "submit": "1", "confirm_submit": "y"}
    for d in catalogue.dimensions:
        data[f"rating__{d.key}"] = str(rating)
        data[f"confidence__{d.key}"] = "80"
    return data


@pytest.mark.postgres_only
def test_forty_concurrent_first_submits_over_http_give_no_500_and_one_response(app, open_review):
    review, members = open_review
    member = members[0]
    clients = []
    for _ in range(40):
        http = app.test_client()
        http.post("/auth/login", data={"email": member.email, "password": PASSWORD})
        clients.append(http)
    form = _form(4)
    statuses = run_at_once(
        app,
        [
            (lambda http=http: http.post(f"/reviews/{review.id}/answer", data=form).status_code)
            for http in clients
        ],
    )
    assert all(s in (302, 303) for s in statuses), statuses
    rows = db.session.query(TeamResponseRow).filter_by(user_id=member.id).all()
    assert len(rows) == 1 and rows[0].status == "submitted"


@pytest.mark.postgres_only
@pytest.mark.parametrize("submit", [False, True])
def test_forty_concurrent_first_saves_in_the_service_keep_one_row(app, open_review, submit):
    review, members = open_review
    member_id = members[0].id

    def save(rating):
        return lambda: reviews.save_response(
            review.id,
            db.session.get(User, member_id),
            f.full_response(rating=rating),
            submit,
            utcnow(),
        )

    results = run_at_once(app, [save(1 + i % 5) for i in range(40)])
    failures = [r for r in results if isinstance(r, Exception)]
    if submit:
        # One submission wins; every other is told, in words, that it came second.
        assert all(isinstance(r, ResponseAlreadySubmitted) for r in failures), failures
        assert len(failures) == 39
    else:
        assert failures == []
    rows = db.session.query(TeamResponseRow).filter_by(user_id=member_id).all()
    assert len(rows) == 1
    assert rows[0].status == ("submitted" if submit else "draft")


def _closed_review(lead, agency_client, members):
    review = f.open_review(lead, agency_client, members)
    for m in members:
        f.submit(review, m, f.full_response(choices={"muddy": "x"}))
    f.client_answers(review, lead)
    f.close(review, lead)
    return review


# On both backends: PostgreSQL through the advisory lock, SQLite through its one writer.
def test_decisions_on_different_reviews_at_once_are_all_recorded_in_one_chain(
    app, make_user, make_client
):
    from app.services.archive_verify import verify_archive

    lead = make_user("lead")
    members = [make_user("member") for _ in range(3)]
    closed = [_closed_review(lead, make_client(actor=lead), members) for _ in range(8)]

    def decide(review_id):
        return lambda: decisions.decide_review(
            review_id,
            db.session.get(User, lead.id),
            DecisionInput({"muddy": "confirmed"}, f"Decided #{review_id}."),
            utcnow(),
        )

    results = run_at_once(app, [decide(r.id) for r in closed])
    assert [r for r in results if isinstance(r, Exception)] == []
    sequences = sorted(d.sequence for d in db.session.query(Decision))
    assert sequences == list(range(1, 9))
    assert verify_archive().ok


def _first_lookup_comes_too_early(monkeypatch) -> list:
    """This request reads where the member stands (with the review's lock) before the
    other request's commit, then (after the unique constraint stops its insert) sees the
    committed row."""
    lock_to_answer, standing = reviews.lock_to_answer, response_rows.standing
    calls = []

    def too_early(*args):
        calls.append("lock")
        review, seen = lock_to_answer(*args)
        return review, replace(seen, response_id=None, response_status=None)

    def again(*args):
        calls.append("standing")
        return standing(*args)

    monkeypatch.setattr(reviews, "lock_to_answer", too_early)
    monkeypatch.setattr(response_rows, "standing", again)
    return calls


@pytest.mark.parametrize("submit", [False, True])
def test_the_loser_of_a_first_save_race_uses_the_winners_row(app, open_review, monkeypatch, submit):
    # The race made deterministic, on both backends: the insert hits the unique
    # constraint; the request must carry on with the committed row, not fail with a 500.
    review, members = open_review
    member = members[0]
    reviews.save_response(review.id, member, f.full_response(rating=2), False, utcnow())
    calls = _first_lookup_comes_too_early(monkeypatch)
    saved = reviews.save_response(review.id, member, f.full_response(rating=5), submit, utcnow())
    assert calls == ["lock", "standing"]
    row = db.session.get(TeamResponseRow, saved)
    rows = db.session.query(TeamResponseRow).filter_by(user_id=member.id).all()
    assert rows == [row] and row.status == ("submitted" if submit else "draft")
    assert {a.rating for a in row.answers} == {5}
    # One event per save: the losing first write wrote none of its own.
    events = db.session.scalars(
        db.select(AuditEvent.action).where(AuditEvent.actor_id == member.id)
    ).all()
    second = "response.submitted" if submit else "response.draft_saved"
    assert events == ["response.draft_saved", second]


def test_a_submit_that_loses_to_a_committed_submission_is_told_so(app, open_review, monkeypatch):
    review, members = open_review
    member = members[0]
    f.submit(review, member)
    _first_lookup_comes_too_early(monkeypatch)
    with pytest.raises(ResponseAlreadySubmitted):
        reviews.save_response(review.id, member, f.full_response(rating=1), True, utcnow())
    stored = db.session.query(TeamResponseRow).filter_by(user_id=member.id).one()
    assert stored.status == "submitted"
