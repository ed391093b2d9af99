"""Which reviews a user sees listed: waiting for their answer, taken part in, visible.

Read-only queries for the dashboard, the review list, the archive's and the client
page's scope; the review's life itself (open, answer, close) is `reviews`."""

from __future__ import annotations

from sqlalchemy import select

from app.domain.lifecycle import ReviewState
from app.extensions import db
from app.models import Review, ReviewParticipant, TeamResponseRow, User


def reviews_waiting_for(user: User) -> list[Review]:
    """Open reviews where this user is a participant and has not submitted yet."""
    submitted = select(TeamResponseRow.review_id).where(
        TeamResponseRow.user_id == user.id, TeamResponseRow.status == "submitted"
    )
    return list(
        db.session.scalars(
            select(Review)
            .join(ReviewParticipant, ReviewParticipant.review_id == Review.id)
            .where(
                ReviewParticipant.user_id == user.id,
                Review.state == ReviewState.OPEN,
                Review.id.not_in(submitted),
            )
            .order_by(Review.deadline)
        )
    )


def reviews_taken_part_in(user: User):
    """A subquery of the ids of reviews this user is a participant of."""
    return select(ReviewParticipant.review_id).where(ReviewParticipant.user_id == user.id)


def reviews_visible_to(user: User) -> list[Review]:
    """Reviews this user leads, takes part in, or (admins) all of them; newest first."""
    query = select(Review).order_by(Review.opened_at.desc(), Review.id.desc())
    if not user.is_admin:
        query = query.where(
            (Review.lead_id == user.id) | Review.id.in_(reviews_taken_part_in(user))
        )
    return list(db.session.scalars(query))
