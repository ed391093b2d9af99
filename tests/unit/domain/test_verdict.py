"""The agreement rule: votes, complexity and whole-catalogue evaluation."""

import pytest

from app.domain.errors import UnknownCategory
from app.domain.thresholds import Thresholds
from app.domain.verdict import evaluate, evaluate_all

from .builders import CATALOGUE, DELIVERY, GOALS, MUDDY, review, team_from_columns
from .verdict_cases import (
    BASE,
    CLIENT_AGREES,
    CORROBORATE_GOALS,
    case_named,
    data_for,
    verdict_for,
)


def test_a_tie_in_votes_confirms_neither_category():
    choices = [[MUDDY], [MUDDY], ["controlling"], ["controlling"]]
    team = team_from_columns({GOALS: [4, 4, 4, 4], DELIVERY: [4, 4, 4, 4]}, choices=choices)
    data = review(team, CLIENT_AGREES)
    for verdict in evaluate_all(data, Thresholds(), [MUDDY, "controlling"]):
        votes = verdict.condition("vote_share")
        assert not votes.passed and not verdict.confirmable
        assert votes.measured == "2 of 4 respondents (50 %)"
        assert votes.measured_value == 0.5


@pytest.mark.parametrize(
    ("votes", "respondents", "passes"),
    [(2, 3, True), (1, 3, False), (0, 3, False), (3, 5, False), (4, 5, True), (3, 4, True)],
)
def test_vote_share_needs_two_thirds(votes, respondents, passes):
    # 2/3 = 0.667 passes exactly at the bar; 3/5 = 0.6 does not.
    choices = [[MUDDY]] * votes + [[]] * (respondents - votes)
    team = team_from_columns({GOALS: [4] * respondents}, choices=choices)
    condition = evaluate(MUDDY, review(team, CLIENT_AGREES), Thresholds()).condition("vote_share")
    assert condition.passed is passes
    if votes == 0:
        assert condition.explanation == "Nobody chose 'Muddy'."


def test_one_respondent_has_too_few_ratings_for_agreement():
    verdict = verdict_for("one respondent, quorum 1")
    assert verdict.agreement.state == "too_few"
    assert (
        "No linked dimension was rated by two or more members"
        in verdict.condition("team_agreement").explanation
    )


def test_identical_answers_are_unanimous_without_nan():
    verdict = verdict_for("all respondents identical")
    assert verdict.agreement.state == "unanimous"
    assert verdict.agreement.alpha is None
    assert verdict.condition("team_agreement").measured == (
        "unanimous: all 6 pairable ratings are identical"
    )


# goals 4, 4, 4 vs client 3 (gap 1.0), delivery 4, 5, 4 vs client 4 (gap 0.33), 70 % sure.
# gap threshold by complexity: 1.33, 1.13, 0.93, 0.73, 0.53; confidence 80, 75, 70, 65, 60.
@pytest.mark.parametrize(
    ("complexity", "failed"),
    [
        (1, set()),
        (2, set()),
        (3, {CORROBORATE_GOALS, "overconfidence"}),  # 1.0 > 0.93 and 70 % >= 70 %
        (4, {CORROBORATE_GOALS, "overconfidence"}),
        (5, {CORROBORATE_GOALS, "overconfidence"}),
    ],
)
def test_the_same_data_passes_when_simple_and_fails_when_complex(complexity, failed):
    team = team_from_columns({GOALS: [4, 4, 4], DELIVERY: [4, 5, 4]}, complexity=complexity)
    verdict = evaluate(MUDDY, review(team, {GOALS: 3, DELIVERY: 4}), Thresholds())
    assert {condition.key for condition in verdict.failed_conditions} == failed


def test_complexity_condition_shows_the_adjustment():
    team = team_from_columns(BASE, complexity=[4, 4, 5])  # median 4
    condition = evaluate(MUDDY, review(team, CLIENT_AGREES), Thresholds()).condition("complexity")
    assert condition.passed
    assert condition.measured == "median complexity 4 (Complex)"
    assert "median complexity 4 → gap threshold 0.73, confidence threshold 65 %" in (
        condition.explanation
    )
    assert condition.measured_value == 4.0


def test_unknown_category_is_refused():
    with pytest.raises(UnknownCategory):
        evaluate("grumpy", data_for(case_named("clear confirmation")), Thresholds())


def test_evaluate_all_judges_every_category_in_catalogue_order():
    verdicts = evaluate_all(data_for(case_named("clear confirmation")), Thresholds())
    assert [verdict.category_key for verdict in verdicts] == list(CATALOGUE.category_keys)
    assert [verdict.category_key for verdict in verdicts if verdict.confirmable] == [MUDDY]
