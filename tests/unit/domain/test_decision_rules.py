"""What a complete answer is, and what a lead's decision must satisfy."""

import pytest

from app.domain.decision_rules import (
    Gap,
    check_decision,
    client_status_after,
    missing_for_submission,
)
from app.domain.errors import ConfirmationRefused, DecisionRefused
from app.domain.scoring import ClientView, ReviewData
from app.domain.thresholds import Thresholds
from app.domain.verdict import evaluate

from .builders import CATALOGUE, DELIVERY, GOALS, MUDDY, member, response


def _verdict(client_rating: int):
    team = tuple(response(member(i), {GOALS: 4, DELIVERY: 4}) for i in range(3))
    data = ReviewData(
        CATALOGUE, team, ClientView({GOALS: client_rating, DELIVERY: client_rating}), 3
    )
    return evaluate(MUDDY, data, Thresholds())


PASSING, FAILING = _verdict(4), _verdict(1)


def test_a_complete_answer_has_nothing_missing():
    answers = {d.key: (3, 70) for d in CATALOGUE.dimensions}
    assert missing_for_submission(CATALOGUE, 2, answers, {MUDDY: "No goals in writing."}) == []


def test_every_gap_in_an_answer_is_named():
    answers = {d.key: (3, 70) for d in CATALOGUE.dimensions}
    answers[GOALS] = (None, None)
    answers[DELIVERY] = (4, None)
    missing = missing_for_submission(CATALOGUE, None, answers, {MUDDY: "  "})
    # Every gap at once, in catalogue order: a missing rating and its missing confidence too.
    order = list(CATALOGUE.dimension_keys)
    expected = sorted(
        [Gap("rating", GOALS), Gap("confidence", GOALS), Gap("confidence", DELIVERY)],
        key=lambda gap: order.index(gap.subject),
    )
    assert missing == [*expected, Gap("complexity"), Gap("evidence", MUDDY)]


def test_a_passing_verdict_may_be_confirmed():
    assert PASSING.confirmable
    check_decision([PASSING], {MUDDY: "confirmed"}, "Agreed by all.", "", has_client_view=True)


def test_a_failing_verdict_cannot_be_confirmed_but_can_be_declined():
    assert not FAILING.confirmable
    with pytest.raises(ConfirmationRefused) as refused:
        check_decision([FAILING], {MUDDY: "confirmed"}, "Sure.", "", has_client_view=True)
    assert refused.value.code == "confirmation_refused"
    assert refused.value.params["category"] == MUDDY and refused.value.params["failed"]
    check_decision([FAILING], {MUDDY: "not_confirmed"}, "The client disagrees.", "", True)


@pytest.mark.parametrize(
    "outcomes,rationale,waiver,has_client,field,code",
    [
        ({MUDDY: "not_confirmed"}, "  ", "", True, "rationale", "rationale_missing"),
        ({MUDDY: "not_confirmed"}, "x", "", False, "waiver_reason", "waiver_missing"),
        ({}, "x", "", True, None, "category_undecided"),
        (
            {MUDDY: "not_confirmed", "controlling": "confirmed"},
            "x",
            "",
            True,
            None,
            "category_not_voted",
        ),
        ({MUDDY: "perhaps"}, "x", "", True, None, "unknown_outcome"),
    ],
)
def test_a_decision_that_breaks_a_rule_is_refused(
    outcomes, rationale, waiver, has_client, field, code
):
    with pytest.raises(DecisionRefused) as error:
        check_decision([PASSING], outcomes, rationale, waiver, has_client)
    assert error.value.field == field and error.value.code == code


def test_a_waiver_allows_a_decision_without_the_client():
    check_decision([PASSING], {MUDDY: "not_confirmed"}, "x", "Client unreachable.", False)


@pytest.mark.parametrize(
    "outcomes,clear,status",
    [
        ({MUDDY: "confirmed"}, False, "blacklisted"),
        ({MUDDY: "confirmed"}, True, "blacklisted"),
        ({MUDDY: "not_confirmed"}, False, "active"),
        ({MUDDY: "not_confirmed"}, True, "cleared"),
        ({}, False, "active"),
    ],
)
def test_the_clients_status_after_a_decision(outcomes, clear, status):
    assert client_status_after(outcomes, clear) == status


def test_confirming_over_questions_the_client_skipped_asks_for_the_written_reason():
    team = tuple(response(member(i), {GOALS: 4, DELIVERY: 4}) for i in range(3))
    skipped = ReviewData(CATALOGUE, team, ClientView({GOALS: 4}), 3)
    verdict = evaluate(MUDDY, skipped, Thresholds())
    assert not verdict.confirmable and verdict.not_assessed == (DELIVERY,)
    with pytest.raises(DecisionRefused) as refused:
        check_decision([verdict], {MUDDY: "confirmed"}, "Sure.", "", has_client_view=True)
    assert refused.value.code == "waiver_missing_for_skipped"
    assert refused.value.field == "waiver_reason" and refused.value.params["questions"] == [
        DELIVERY
    ]
    waived = ReviewData(CATALOGUE, team, ClientView({GOALS: 4}), 3, waiver_reason="No answer.")
    confirmable = evaluate(MUDDY, waived, Thresholds())
    assert confirmable.confirmable and confirmable.one_sided
    check_decision([confirmable], {MUDDY: "confirmed"}, "Sure.", "No answer.", True)
