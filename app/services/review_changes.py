"""Changing an open review: cancelling it with a reason, or changing its team, quorum and
deadline. Each is one transaction on the locked review, audited; answers already given
are never lost (a cancelled review keeps them; a member who submitted stays on the team)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from app.domain.lifecycle import ReviewState, ensure_can_change, transition
from app.domain.member_labels import new_labels
from app.extensions import db
from app.models import ClientStatusChange, Review, ReviewParticipant, TeamResponseRow, User
from app.services import audit
from app.services._tx import transaction
from app.services.clients import change_status
from app.services.errors import InvalidInput
from app.services.review_opening import check_team
from app.services.reviews import review_led_by
from app.services.thresholds import current_thresholds

CANCEL_REASON_MAX = 5000


def cancel_review(review_id: int, lead: User, reason: str, now: datetime) -> Review:
    """End an open review without a decision. Its answers stay stored (and unseen: no
    results are shown before closing); the client gets back the status it had before
    this review was opened."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("Say why the review is cancelled.", "reason", code="reason_missing")
    if len(reason) > CANCEL_REASON_MAX:
        raise InvalidInput("The reason is too long.", "reason", code="reason_too_long")
    with transaction():
        review = review_led_by(review_id, lead, lock=True)
        ensure_can_change(review.state)
        review.state = transition(review.state, ReviewState.CANCELLED)
        review.cancelled_at = now
        review.cancelled_by_id = lead.id
        review.cancel_reason = reason
        restored = _status_before(review)
        if restored is not None:
            change_status(review.client, restored, lead, f"Review #{review.id} cancelled")
        answers = db.session.scalar(
            select(func.count())
            .select_from(TeamResponseRow)
            .where(TeamResponseRow.review_id == review.id)
        )
        audit.record(
            "review.cancelled",
            "review",
            review.id,
            lead,
            reason=reason,
            answers_kept=answers,
            client_status=restored,
        )
    return review


def _status_before(review: Review) -> str | None:
    """The client's status before this review moved it to "under review" (None if the
    opening changed nothing, or another change came after it: then nothing is restored)."""
    changes = db.session.scalars(
        select(ClientStatusChange)
        .where(ClientStatusChange.client_id == review.client_id)
        .order_by(ClientStatusChange.id.desc())
    ).all()
    for change in changes:
        if change.reason == f"Review #{review.id} opened":
            latest = changes[0]
            return change.from_status if latest is change else None
    return None


def change_review(
    review_id: int,
    lead: User,
    participant_ids: list[int],
    quorum: int,
    deadline: datetime,
    now: datetime,
) -> Review:
    """Change an open review's team, quorum and deadline. Nobody who submitted an answer
    can be removed; the quorum stays between the deployment's minimum and the team size;
    the deadline must be in the future."""
    minimum = current_thresholds().min_respondents
    wanted = set(participant_ids)
    with transaction():
        review = review_led_by(review_id, lead, lock=True)
        ensure_can_change(review.state)
        current = {p.user_id: p for p in review.participants}
        answered = set(
            db.session.scalars(
                select(TeamResponseRow.user_id).where(
                    TeamResponseRow.review_id == review.id,
                    TeamResponseRow.status == "submitted",
                )
            )
        )
        kept_out = answered - wanted
        if kept_out:
            raise InvalidInput(
                "Members who already submitted an answer cannot be removed.",
                "participants",
                code="participant_answered",
                count=len(kept_out),
            )
        check_team(wanted, minimum, quorum, deadline, now)
        added = wanted - set(current)
        people = db.session.scalars(select(User).where(User.id.in_(added))).all()
        if len(people) != len(added) or not all(p.active for p in people):
            raise InvalidInput(
                "Every participant must be an active user.",
                "participants",
                code="inactive_participant",
            )
        removed = set(current) - wanted
        for user_id in removed:
            db.session.delete(current[user_id])
        db.session.flush()
        kept = {p.label for p in review.participants if p.user_id in wanted}
        for person, label in zip(people, new_labels(len(people), kept), strict=True):
            db.session.add(ReviewParticipant(review_id=review.id, user_id=person.id, label=label))
        old_quorum, old_deadline = review.quorum, review.deadline
        review.quorum = quorum
        review.deadline = deadline
        audit.record(
            "review.changed",
            "review",
            review.id,
            lead,
            added=sorted(added),
            removed=sorted(removed),
            old_quorum=old_quorum,
            quorum=quorum,
            old_deadline=old_deadline.isoformat(),
            deadline=deadline.isoformat(),
        )
    db.session.refresh(review)
    return review
