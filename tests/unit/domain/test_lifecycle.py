from datetime import UTC, datetime, timedelta

import pytest

from app.domain.errors import (
    ReviewAlreadyClosed,
    ReviewAlreadyDecided,
    ReviewNotClosable,
    ReviewNotClosed,
    TransitionNotAllowed,
    UnknownReviewState,
)
from app.domain.lifecycle import (
    ReviewState,
    can_close,
    ensure_can_answer,
    ensure_can_close,
    ensure_can_decide,
    may_see_results,
    transition,
)

OPEN, CLOSED, DECIDED = ReviewState.OPEN, ReviewState.CLOSED, ReviewState.DECIDED
DEADLINE = datetime(2026, 12, 1, tzinfo=UTC)
BEFORE = DEADLINE - timedelta(seconds=1)


def test_states_are_stored_as_plain_text():
    assert [state.value for state in ReviewState] == ["open", "closed", "decided"]
    assert ReviewState("closed") is CLOSED
    assert str(OPEN) == "open" and OPEN == "open"


@pytest.mark.parametrize(
    ("state", "target", "allowed"),
    [
        (OPEN, CLOSED, True),
        (CLOSED, DECIDED, True),
        (OPEN, DECIDED, False),
        (OPEN, OPEN, False),
        (CLOSED, OPEN, False),
        (CLOSED, CLOSED, False),
        (DECIDED, OPEN, False),
        (DECIDED, CLOSED, False),
        (DECIDED, DECIDED, False),
    ],
)
def test_transitions(state, target, allowed):
    if allowed:
        assert transition(state, target) is target
    else:
        with pytest.raises(TransitionNotAllowed, match=f"from {state.value} to {target.value}"):
            transition(state, target)


def test_transition_accepts_stored_text():
    assert transition("open", "closed") is CLOSED


def test_unknown_state_is_refused():
    with pytest.raises(UnknownReviewState, match="'archived' is not a review state"):
        transition("archived", "closed")


@pytest.mark.parametrize(
    ("submitted", "now", "closable"),
    [
        (3, BEFORE, True),  # quorum reached
        (4, BEFORE, True),
        (2, BEFORE, False),  # neither
        (2, DEADLINE, True),  # deadline reached exactly
        (1, DEADLINE + timedelta(days=1), True),
        (0, DEADLINE + timedelta(days=1), False),  # an empty review never closes
    ],
)
def test_an_open_review_closes_on_quorum_or_deadline(submitted, now, closable):
    assert can_close(OPEN, submitted, 3, DEADLINE, now) is closable


@pytest.mark.parametrize("state", [CLOSED, DECIDED])
def test_only_open_reviews_can_close(state):
    assert can_close(state, 5, 3, DEADLINE, DEADLINE) is False
    with pytest.raises(ReviewAlreadyClosed, match=f"already {state.value}"):
        ensure_can_close(state, 5, 3, DEADLINE, DEADLINE)


def test_not_closable_says_why():
    with pytest.raises(ReviewNotClosable) as raised:
        ensure_can_close(OPEN, 2, 3, DEADLINE, BEFORE)
    assert str(raised.value) == (
        "The review cannot be closed yet: 2 of 3 required answers "
        "and the deadline 2026-12-01 has not passed."
    )


def test_not_closable_shows_the_time_when_the_deadline_is_not_midnight():
    deadline = datetime(2026, 12, 1, 15, 30, tzinfo=UTC)
    with pytest.raises(ReviewNotClosable, match="the deadline 2026-12-01 15:30 UTC has not passed"):
        ensure_can_close(OPEN, 0, 3, deadline, deadline - timedelta(hours=1))


def test_ensure_can_close_passes_silently_when_allowed():
    ensure_can_close(OPEN, 3, 3, DEADLINE, BEFORE)


def test_answers_only_while_open():
    ensure_can_answer(OPEN)
    for state in (CLOSED, DECIDED):
        with pytest.raises(ReviewAlreadyClosed, match="no longer accepts answers"):
            ensure_can_answer(state)


def test_decisions_only_once_closed_and_only_once():
    ensure_can_decide(CLOSED)
    with pytest.raises(ReviewNotClosed, match="still open"):
        ensure_can_decide(OPEN)
    with pytest.raises(ReviewAlreadyDecided, match="never overwritten"):
        ensure_can_decide(DECIDED)


@pytest.mark.parametrize(("state", "visible"), [(OPEN, False), (CLOSED, True), (DECIDED, True)])
def test_nobody_sees_results_before_close(state, visible):
    assert may_see_results(state) is visible
    assert may_see_results(state.value) is visible


def test_an_empty_review_cannot_close_even_after_the_deadline():
    with pytest.raises(ReviewNotClosable, match="Nobody has submitted an answer yet"):
        ensure_can_close(OPEN, 0, 3, DEADLINE, DEADLINE + timedelta(days=30))
