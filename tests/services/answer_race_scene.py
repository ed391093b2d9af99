"""A review that some answer races to its close: the team and client that answer, the late
answerer, and the invariant every race must keep (tests/services/test_answer_after_close.py
on PostgreSQL, test_answer_refused_after_close.py on both databases)."""

from __future__ import annotations

import json
from collections.abc import Callable

from sqlalchemy import func, select

from app.domain.errors import ReviewAlreadyClosed
from app.extensions import db
from app.messages import error_text
from app.models import (
    AuditEvent,
    ClientResponseRow,
    Review,
    TeamResponseRow,
    User,
    utcnow,
)
from app.services import client_links, decisions, reviews
from app.services.decisions import DecisionInput
from app.services.errors import InvalidClientLink
from tests import factories as f

KINDS = ("team_submit", "team_draft", "client_link", "client_recorded")

# The audit action each kind of answer writes when it is stored.
ACTION = {
    "team_submit": "response.submitted",
    "team_draft": "response.draft_saved",
    "client_link": "client_view.submitted",
    "client_recorded": "client_view.recorded_by_lead",
}


class Scene:
    """A review three of four members have submitted (closable: quorum 3), with an
    active client link; the fourth member and the client have not answered yet."""

    def __init__(self, make_user, make_client):
        lead = make_user("lead")
        members = [make_user("member") for _ in range(4)]
        review = f.open_review(lead, make_client(actor=lead), members, quorum=3)
        for member in members[:3]:
            f.submit(review, member)
        _, self.token = client_links.issue_link(review.id, lead, utcnow(), send_email=False)
        self.review_id, self.lead_id, self.late_id = review.id, lead.id, members[3].id
        catalogue = f.ensure_catalogue()
        self.response = f.full_response(rating=2)
        self.ratings = {d.key: 3 for d in catalogue.dimensions}

    def answer(self, kind: str) -> Callable[[], object]:
        """The late answer of this kind, as a job for a thread (or to call directly)."""

        def job():
            now = utcnow()
            if kind in ("team_submit", "team_draft"):
                user = db.session.get(User, self.late_id)
                submit = kind == "team_submit"
                return reviews.save_response(self.review_id, user, self.response, submit, now)
            if kind == "client_link":
                return client_links.submit_client_view(self.token, self.ratings, {}, "", now)
            lead = db.session.get(User, self.lead_id)
            quote = "E-mail of 3 May: 'Good work, slow replies.'"
            return client_links.record_client_view(
                self.review_id, lead, self.ratings, {}, quote, now
            )

        return job

    def close(self) -> Callable[[], object]:
        return lambda: reviews.close_review(
            self.review_id, db.session.get(User, self.lead_id), utcnow()
        )

    def decide(self) -> Callable[[], object]:
        return lambda: decisions.decide_review(
            self.review_id,
            db.session.get(User, self.lead_id),
            DecisionInput({}, "Nothing to confirm.", waiver_reason="The client was asked."),
            utcnow(),
        )

    # --- what the database says afterwards ------------------------------------------

    def review(self) -> Review:
        db.session.expire_all()
        return db.session.get(Review, self.review_id)

    def events(self) -> list[AuditEvent]:
        return list(
            db.session.scalars(
                select(AuditEvent)
                .where(AuditEvent.object_type == "review", AuditEvent.object_id == self.review_id)
                .order_by(AuditEvent.id)
            )
        )

    def stored_at(self, kind: str):
        """When the late answer of this kind was stored, or None if it was not."""
        if kind in ("team_submit", "team_draft"):
            row = db.session.scalar(
                select(TeamResponseRow).where(
                    TeamResponseRow.review_id == self.review_id,
                    TeamResponseRow.user_id == self.late_id,
                )
            )
            if row is None:
                return None
            if kind == "team_submit":
                assert row.status == "submitted" and row.submitted_at is not None
                return row.submitted_at
            assert row.status == "draft"
            return row.updated_at
        row = db.session.scalar(
            select(ClientResponseRow).where(ClientResponseRow.review_id == self.review_id)
        )
        return None if row is None else row.submitted_at

    def submitted(self) -> int:
        return db.session.scalar(
            select(func.count())
            .select_from(TeamResponseRow)
            .where(
                TeamResponseRow.review_id == self.review_id, TeamResponseRow.status == "submitted"
            )
        )


def assert_before_close_or_refused(app, scene: Scene, kind: str, error, version_before: int):
    """The invariant: the late answer is stored and both its time and its audit event
    precede the close, or it was refused with a clear message and nothing changed."""
    review = scene.review()
    assert review.state in ("closed", "decided")
    events = scene.events()
    actions = [e.action for e in events]
    closed = actions.index("review.closed")
    # The late answer's own audit events (the others' submissions came before the race).
    late = [
        i
        for i, e in enumerate(events)
        if e.action == ACTION[kind] and (kind.startswith("client") or e.actor_id == scene.late_id)
    ]
    # What the close counted is what is stored: no submission slipped in after it.
    assert json.loads(events[closed].details)["submitted"] == scene.submitted()
    if error is None:
        stored_at = scene.stored_at(kind)
        assert stored_at is not None and stored_at <= review.closed_at
        assert len(late) == 1 and late[0] < closed, actions
        return
    if kind == "client_link":
        # The client gets the same polite "no longer valid" page as for a closed review.
        assert isinstance(error, InvalidClientLink), repr(error)
        assert isinstance(error.__cause__, ReviewAlreadyClosed), repr(error.__cause__)
    else:
        assert isinstance(error, ReviewAlreadyClosed), repr(error)
        with app.test_request_context():
            assert error_text(error) == (
                "This review is closed; answers and closing are no longer possible."
            )
    assert late == [], actions
    assert scene.stored_at(kind) is None
    assert review.data_version == version_before
