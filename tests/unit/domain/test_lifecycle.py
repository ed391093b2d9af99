from datetime import UTC, datetime, timedelta

import pytest

from app.domain.errors import (
    DomainError,
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
    ensure_can_change,
    ensure_can_close,
    ensure_can_decide,
    may_see_results,
    transition,
)

OPEN, CLOSED, DECIDED = ReviewState.OPEN, ReviewState.CLOSED, ReviewState.DECIDED
DEADLINE = datetime(2026, 12, 1, tzinfo=UTC)
BEFORE = DEADLINE - timedelta(seconds=1)


def test_states_are_stored_as_plain_text():
    assert [state.value for state in ReviewState] == ["open", "closed", "decided", "cancelled"]
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
        (OPEN, ReviewState.CANCELLED, True),
        (CLOSED, ReviewState.CANCELLED, False),
        (DECIDED, ReviewState.CANCELLED, False),
        (ReviewState.CANCELLED, OPEN, False),
        (ReviewState.CANCELLED, CLOSED, False),
        (ReviewState.CANCELLED, DECIDED, False),
    ],
)
def test_transitions(state, target, allowed):
    if allowed:
        assert transition(state, target) is target
    else:
        with pytest.raises(TransitionNotAllowed) as refused:
            transition(state, target)
        assert refused.value.params == {"current": state.value, "target": target.value}


def test_transition_accepts_stored_text():
    assert transition("open", "closed") is CLOSED


def test_unknown_state_is_refused():
    with pytest.raises(UnknownReviewState) as refused:
        transition("archived", "closed")
    assert refused.value.code == "unknown_review_state"
    assert refused.value.params == {"value": "archived"}


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
    with pytest.raises(ReviewAlreadyClosed) as refused:
        ensure_can_close(state, 5, 3, DEADLINE, DEADLINE)
    assert refused.value.params == {"state": state.value}


def test_not_closable_says_why():
    with pytest.raises(ReviewNotClosable) as raised:
        ensure_can_close(OPEN, 2, 3, DEADLINE, BEFORE)
    assert raised.value.code == "review_not_closable"
    assert raised.value.params == {"submitted": 2, "quorum": 3, "deadline": DEADLINE}
    # A sentence for people is the web layer's (app/messages.py); the text here is for logs.
    assert str(raised.value).startswith("review_not_closable: deadline=")


def test_ensure_can_close_passes_silently_when_allowed():
    ensure_can_close(OPEN, 3, 3, DEADLINE, BEFORE)


def test_answers_only_while_open():
    ensure_can_answer(OPEN)
    for state in (CLOSED, DECIDED):
        with pytest.raises(ReviewAlreadyClosed) as refused:
            ensure_can_answer(state)
        assert refused.value.params == {"state": state.value}


def test_decisions_only_once_closed_and_only_once():
    ensure_can_decide(CLOSED)
    with pytest.raises(ReviewNotClosed) as still_open:
        ensure_can_decide(OPEN)
    assert still_open.value.code == "review_not_closed"
    with pytest.raises(ReviewAlreadyDecided) as decided:
        ensure_can_decide(DECIDED)
    assert decided.value.code == "review_already_decided"


@pytest.mark.parametrize(("state", "visible"), [(OPEN, False), (CLOSED, True), (DECIDED, True)])
def test_nobody_sees_results_before_close(state, visible):
    assert may_see_results(state) is visible
    assert may_see_results(state.value) is visible


def test_an_empty_review_cannot_close_even_after_the_deadline():
    with pytest.raises(ReviewNotClosable) as refused:
        ensure_can_close(OPEN, 0, 3, DEADLINE, DEADLINE + timedelta(days=30))
    assert refused.value.code == "review_empty"


def test_a_cancelled_review_is_never_answered_compared_or_decided():
    cancelled = ReviewState.CANCELLED
    assert not may_see_results(cancelled)
    for ensure in (ensure_can_answer, ensure_can_change, ensure_can_decide):
        with pytest.raises(DomainError):
            ensure(cancelled)
