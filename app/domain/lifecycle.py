"""A review's life: open -> closed -> decided (or open -> cancelled), and who may see
what in each state.

    open --(quorum reached or deadline passed; lead closes)--> closed --(lead decides)--> decided
    open --(lead cancels, with a reason)--> cancelled

A cancelled review keeps its answers (never shown: no results before closing) and ends
there: it is never closed, compared or decided.

Before a review is closed nobody, the lead included, sees another participant's
answers or any aggregate; the lead sees only who has submitted. Services ask these
functions instead of deciding on their own. The current time is always passed in.
"""

from __future__ import annotations

from datetime import datetime
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
    CANCELLED = "cancelled"


ALLOWED_TRANSITIONS: dict[ReviewState, frozenset[ReviewState]] = {
    ReviewState.OPEN: frozenset({ReviewState.CLOSED, ReviewState.CANCELLED}),
    ReviewState.CLOSED: frozenset({ReviewState.DECIDED}),
    ReviewState.DECIDED: frozenset(),
    ReviewState.CANCELLED: frozenset(),
}


# A review that is open or closed holds its client: nobody may open another review of that
# client until it is decided (or, while open, cancelled). Once closed, its results have
# been seen; without this a lead could close, look, leave the review undecided and start
# again with another team or a looser complexity level until the verdict suited, and the
# archive would show only the review that was decided.
HOLDS_CLIENT: frozenset[ReviewState] = frozenset({ReviewState.OPEN, ReviewState.CLOSED})


def as_state(value: ReviewState | str) -> ReviewState:
    """Accept the enum or its stored text ("open")."""
    try:
        return ReviewState(value)
    except ValueError:
        raise UnknownReviewState(value=value) from None


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
        raise ReviewAlreadyClosed(state=current.value)
    if submitted == 0 and now >= deadline:
        raise ReviewNotClosable(code="review_empty")
    if not can_close(current, submitted, quorum, deadline, now):
        raise ReviewNotClosable(
            submitted=submitted,
            quorum=quorum,
            deadline=deadline,
        )


def ensure_can_answer(state: ReviewState | str) -> None:
    current = as_state(state)
    if current is not ReviewState.OPEN:
        raise ReviewAlreadyClosed(state=current.value)


def ensure_can_decide(state: ReviewState | str) -> None:
    current = as_state(state)
    if current is ReviewState.OPEN:
        raise ReviewNotClosed(state=current.value)
    if current is ReviewState.DECIDED:
        raise ReviewAlreadyDecided(state=current.value)
    if current is not ReviewState.CLOSED:
        raise TransitionNotAllowed(current=current.value, target=ReviewState.DECIDED.value)


def ensure_can_change(state: ReviewState | str) -> None:
    """Cancelling, and changing the team, quorum or deadline: only while open."""
    current = as_state(state)
    if current is not ReviewState.OPEN:
        raise ReviewAlreadyClosed(state=current.value)


def may_see_results(state: ReviewState | str) -> bool:
    """Answers, aggregates, votes and charts become visible to anyone only after closing."""
    return as_state(state) in (ReviewState.CLOSED, ReviewState.DECIDED)


def transition(state: ReviewState | str, to: ReviewState | str) -> ReviewState:
    current, target = as_state(state), as_state(to)
    if target not in ALLOWED_TRANSITIONS[current]:
        raise TransitionNotAllowed(
            current=current.value,
            target=target.value,
        )
    return target
