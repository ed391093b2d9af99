"""A review's life: open -> closed -> decided, and who may see what in each state.

    open --(quorum reached or deadline passed; lead closes)--> closed --(lead decides)--> decided

Before a review is closed nobody, the lead included, sees another participant's
answers or any aggregate; the lead sees only who has submitted. Services ask these
functions instead of deciding on their own. The current time is always passed in.
"""

from __future__ import annotations

from datetime import datetime, time
from enum import StrEnum

from app.domain.errors import (
    ReviewAlreadyClosed,
    ReviewAlreadyDecided,
    ReviewNotClosable,
    ReviewNotClosed,
    TransitionNotAllowed,
    UnknownReviewState,
)


class ReviewState(StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    DECIDED = "decided"


ALLOWED_TRANSITIONS: dict[ReviewState, frozenset[ReviewState]] = {
    ReviewState.OPEN: frozenset({ReviewState.CLOSED}),
    ReviewState.CLOSED: frozenset({ReviewState.DECIDED}),
    ReviewState.DECIDED: frozenset(),
}


def as_state(value: ReviewState | str) -> ReviewState:
    """Accept the enum or its stored text ("open")."""
    try:
        return ReviewState(value)
    except ValueError:
        raise UnknownReviewState(
            f"'{value}' is not a review state; expected open, closed or decided."
        ) from None


def format_moment(moment: datetime) -> str:
    """ "2026-12-01" for midnight, "2026-12-01 15:30 UTC" otherwise (zone name when known)."""
    if moment.time() == time(0, 0):
        return moment.date().isoformat()
    text = moment.strftime("%Y-%m-%d %H:%M")
    zone = moment.tzname()
    return f"{text} {zone}" if zone else text


def can_close(
    state: ReviewState | str, submitted: int, quorum: int, deadline: datetime, now: datetime
) -> bool:
    # An empty review has nothing to compare: even past the deadline it needs one answer.
    return (
        as_state(state) is ReviewState.OPEN
        and submitted >= 1
        and (submitted >= quorum or now >= deadline)
    )


def ensure_can_close(
    state: ReviewState | str, submitted: int, quorum: int, deadline: datetime, now: datetime
) -> None:
    current = as_state(state)
    if current is not ReviewState.OPEN:
        raise ReviewAlreadyClosed(f"This review is already {current.value}.", state=current.value)
    if submitted == 0 and now >= deadline:
        raise ReviewNotClosable(
            "Nobody has submitted an answer yet; an empty review cannot be closed. "
            "Extend the deadline to give the team more time.",
            code="review_empty",
        )
    if not can_close(current, submitted, quorum, deadline, now):
        raise ReviewNotClosable(
            f"The review cannot be closed yet: {submitted} of {quorum} required answers "
            f"and the deadline {format_moment(deadline)} has not passed.",
            submitted=submitted,
            quorum=quorum,
            deadline=deadline,
        )


def ensure_can_answer(state: ReviewState | str) -> None:
    current = as_state(state)
    if current is not ReviewState.OPEN:
        raise ReviewAlreadyClosed(
            f"This review is {current.value}; it no longer accepts answers.", state=current.value
        )


def ensure_can_decide(state: ReviewState | str) -> None:
    current = as_state(state)
    if current is ReviewState.OPEN:
        raise ReviewNotClosed("The review is still open; close it before recording a decision.")
    if current is ReviewState.DECIDED:
        raise ReviewAlreadyDecided(
            "This review is already decided, and a decision is never overwritten. "
            "Open a new review to supersede it."
        )


def may_see_results(state: ReviewState | str) -> bool:
    """Answers, aggregates, votes and charts become visible to anyone only after closing."""
    return as_state(state) in (ReviewState.CLOSED, ReviewState.DECIDED)


def transition(state: ReviewState | str, to: ReviewState | str) -> ReviewState:
    current, target = as_state(state), as_state(to)
    if target not in ALLOWED_TRANSITIONS[current]:
        raise TransitionNotAllowed(
            f"A review cannot go from {current.value} to {target.value}.",
            current=current.value,
            target=target.value,
        )
    return target
