"""Opening a review: the team, the quorum, the deadline and the complexity level, all
checked before anyone answers (the one use case that creates a review)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.domain.catalogue import COMPLEXITY_SCALE
from app.domain.lifecycle import HOLDS_CLIENT, ReviewState
from app.domain.member_labels import new_labels
from app.extensions import db
from app.models import Review, ReviewParticipant, User
from app.services import audit, incidents
from app.services._tx import transaction
from app.services.catalogue import latest_version
from app.services.clients import change_status, find_client
from app.services.errors import ClientHeld, InvalidInput
from app.services.thresholds import current_thresholds


def open_review(
    lead: User,
    client_id: int,
    conflict: str,
    participant_ids: list[int],
    deadline: datetime,
    quorum: int,
    now: datetime,
    complexity_floor: int | None = None,
    incident_ids: list[int] | None = None,
) -> Review:
    """Open a review. `complexity_floor` (1-5, the deployment's default when None) is fixed
    here, before anyone answers; the quorum and the team are never below the deployment's
    min_respondents, the fewest distinct respondents whose results may be shown."""
    thresholds = current_thresholds()
    if complexity_floor is None:
        complexity_floor = thresholds.default_complexity_floor
    _check_complexity_floor(complexity_floor)
    minimum = thresholds.min_respondents
    participant_ids = sorted(set(participant_ids))
    if not participant_ids:
        raise InvalidInput(
            "Choose at least one participant.", "participants", code="no_participants"
        )
    check_team(set(participant_ids), minimum, quorum, deadline, now)
    with transaction():
        client = find_client(client_id)
        if client.archived_at is not None:
            raise InvalidInput(
                "This client is archived; restore it before opening a review.",
                "client",
                code="client_archived",
            )
        _refuse_while_held(client)
        people = db.session.scalars(select(User).where(User.id.in_(participant_ids))).all()
        if len(people) != len(participant_ids) or not all(p.active for p in people):
            raise InvalidInput(
                "Every participant must be an active user.",
                "participants",
                code="inactive_participant",
            )
        review = Review(
            client_id=client.id,
            lead_id=lead.id,
            catalogue_version_id=latest_version().id,
            conflict=conflict.strip(),
            deadline=deadline,
            quorum=quorum,
            complexity_floor=complexity_floor,
            state=ReviewState.OPEN,
            opened_at=now,
        )
        db.session.add(review)
        try:
            db.session.flush()
        except IntegrityError:
            # Another lead opened one for this client at the same moment (the unique index).
            db.session.rollback()
            with transaction():
                _refuse_while_held(find_client(client_id))
            raise
        for person, label in zip(people, new_labels(len(people)), strict=True):
            db.session.add(ReviewParticipant(review_id=review.id, user_id=person.id, label=label))
        # Entries from the client's incident log, sealed into the decision's record later.
        incidents.attach_entries(review, incident_ids or [])
        change_status(client, "under_review", lead, f"Review #{review.id} opened")
        audit.record(
            "review.opened",
            "review",
            review.id,
            lead,
            client_id=client.id,
            participants=len(people),
            quorum=quorum,
            complexity_floor=complexity_floor,
            incidents=len(set(incident_ids or [])),
        )
    return review


def check_team(wanted: set[int], minimum: int, quorum: int, deadline: datetime, now) -> None:
    """The team, quorum and deadline a review may have, when opened and when changed.
    Below the deployment's minimum no result is ever shown, so neither the team nor the
    quorum may be smaller."""
    if len(wanted) < minimum:
        raise InvalidInput(
            f"Choose at least {minimum} participants.",
            "participants",
            code="too_few_participants",
            minimum=minimum,
        )
    if quorum < minimum:
        raise InvalidInput(
            f"The quorum must be at least {minimum}.",
            "quorum",
            code="quorum_below_minimum",
            minimum=minimum,
        )
    if quorum > len(wanted):
        raise InvalidInput(
            "The quorum cannot be larger than the number of participants.",
            "quorum",
            code="quorum_above_team",
            quorum=quorum,
            participants=len(wanted),
        )
    if deadline <= now:
        raise InvalidInput(
            "The deadline must be in the future.", "deadline", code="deadline_in_past"
        )


def _refuse_while_held(client) -> None:
    """No new review while the client has one open, or closed and not yet decided; the
    refusal names that review (lifecycle.HOLDS_CLIENT says why). States only move forward
    (open, closed, decided) and both holding states refuse, so a review closing at this
    moment refuses either way; the database's partial unique index refuses two at once."""
    held = db.session.scalar(
        select(Review)
        .where(Review.client_id == client.id, Review.state.in_(HOLDS_CLIENT))
        .order_by(Review.id)
        .limit(1)
    )
    if held is None:
        return
    still_open = held.state == ReviewState.OPEN
    raise ClientHeld(
        f"{client.name} already has an open review (#{held.id})."
        if still_open
        else f"{client.name} has a closed review (#{held.id}) that is not decided yet.",
        code="review_already_open" if still_open else "review_awaiting_decision",
        client=client.name,
        review_id=held.id,
        opened_at=held.opened_at,
        closed_at=held.closed_at,
    )


def _check_complexity_floor(value: object) -> None:
    low, high = COMPLEXITY_SCALE[0], COMPLEXITY_SCALE[-1]
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidInput(
            f"Choose the project's complexity from {low} to {high}.",
            "complexity_floor",
            code="complexity_out_of_range",
            low=low,
            high=high,
        )
