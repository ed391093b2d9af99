"""The transaction helper, and what a crash in the middle of a use case leaves behind."""

import pytest

from app.extensions import db
from app.models import AuditEvent, Client, ClientStatusChange, Review, ReviewParticipant, User
from app.services import audit, review_opening
from app.services._tx import after_commit, transaction
from tests import factories as f


def test_a_block_that_ends_normally_commits(make_user):
    admin = make_user("admin")
    with transaction():
        audit.record("test.event", "user", admin.id, admin)
    db.session.rollback()  # nothing pending: the row is already committed
    assert db.session.query(AuditEvent).filter_by(action="test.event").count() == 1


def test_an_exception_rolls_back_and_skips_after_commit_callbacks(make_user):
    admin = make_user("admin")
    sent = []
    with pytest.raises(RuntimeError):
        with transaction():
            audit.record("test.event", "user", admin.id, admin)
            after_commit(lambda: sent.append("mail"))
            raise RuntimeError("crash")
    assert db.session.query(AuditEvent).filter_by(action="test.event").count() == 0
    assert sent == []


def test_after_commit_callbacks_run_once_the_commit_succeeded(make_user):
    sent = []
    with transaction():
        after_commit(lambda: sent.append("mail"))
        assert sent == []
    assert sent == ["mail"]


def test_a_crash_while_opening_a_review_leaves_no_half_written_review(
    make_user, make_client, monkeypatch
):
    lead = make_user("lead")
    members = [make_user("member") for _ in range(3)]
    agency_client = make_client(actor=lead)
    f.ensure_catalogue()

    def crash(*args, **kwargs):
        raise RuntimeError("power cut after the participants were written")

    monkeypatch.setattr(review_opening, "change_status", crash)
    with pytest.raises(RuntimeError):
        f.open_review(lead, agency_client, members)
    assert db.session.query(Review).count() == 0
    assert db.session.query(ReviewParticipant).count() == 0
    assert db.session.get(Client, agency_client.id).status == "active"
    assert db.session.query(ClientStatusChange).filter_by(to_status="under_review").count() == 0


def test_a_crash_while_deciding_leaves_the_review_closed_and_no_decision(
    make_user, make_client, monkeypatch
):
    from app.models import Decision, utcnow
    from app.services import decisions
    from app.services.decisions import DecisionInput

    lead = make_user("lead")
    members = [make_user("member") for _ in range(3)]
    review = f.open_review(lead, make_client(actor=lead), members)
    for m in members:
        f.submit(review, m, f.full_response(choices={"muddy": "x"}))
    f.client_answers(review, lead)
    f.close(review, lead)

    def crash(*args, **kwargs):
        raise RuntimeError("crash after the decision row")

    monkeypatch.setattr(decisions, "change_status", crash)
    with pytest.raises(RuntimeError):
        decisions.decide_review(
            review.id,
            db.session.get(User, lead.id),
            DecisionInput({"muddy": "confirmed"}, "x"),
            utcnow(),
        )
    assert db.session.query(Decision).count() == 0
    assert db.session.get(Review, review.id).state == "closed"


def test_sqlite_runs_with_foreign_keys_wal_and_a_busy_timeout():
    from sqlalchemy import text

    if db.engine.dialect.name != "sqlite":
        # PostgreSQL enforces foreign keys and handles concurrency itself.
        assert db.engine.dialect.name == "postgresql"
        return
    with db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 10000
