"""The agreement rule, case by case: the table of cases lives in verdict_cases.py."""

import pytest

from app.domain.snapshot import canonical_json, verdict_to_dict
from app.domain.thresholds import Thresholds
from app.domain.verdict import PARADOX, evaluate

from .builders import DELIVERY, GOALS, MUDDY, member, response, review, team_from_columns
from .verdict_cases import (
    CASES,
    CLIENT_AGREES,
    CORROBORATE_DELIVERY,
    CORROBORATE_GOALS,
    WAIVER,
    case_named,
    data_for,
    verdict_for,
)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_agreement_rule(case):
    verdict = evaluate(MUDDY, data_for(case), case.thresholds)
    assert {condition.key for condition in verdict.failed_conditions} == case.failed
    assert verdict.confirmable is (not case.failed)
    assert verdict.decided_by == case.decided_by
    assert verdict.category_name == "Muddy"
    assert [condition.key for condition in verdict.conditions] == [
        "quorum",
        "vote_share",
        "team_agreement",
        CORROBORATE_GOALS,
        CORROBORATE_DELIVERY,
        "overconfidence",
        "complexity",
        "client_view",
    ]
    assert all(condition.explanation for condition in verdict.conditions)
    canonical_json(verdict_to_dict(verdict))  # refuses NaN: nothing undefined leaks out


def test_clear_confirmation_in_words():
    verdict = verdict_for("clear confirmation")
    assert verdict.summary == (
        "'Muddy' can be confirmed: all 8 conditions hold. "
        "The lead must still sign off with a written rationale."
    )
    votes = verdict.condition("vote_share")
    assert votes.measured == "3 of 3 respondents (100 %)"
    assert votes.threshold == "at least 67 %, and at least one vote"
    goals = verdict.condition(CORROBORATE_GOALS)
    assert goals.measured == "team mean 3.67 vs client 4: gap -0.33"
    assert goals.measured_value == pytest.approx(-1 / 3)
    assert goals.threshold_value == pytest.approx(4 / 3 - 0.2)
    agreement = verdict.condition("team_agreement")
    assert agreement.measured_value == 1.0 and agreement.threshold_value == 0.75
    assert "The companion figure decided" in agreement.explanation
    assert verdict.one_sided is False


def test_quorum_near_miss_in_words():
    quorum = verdict_for("quorum near miss").condition("quorum")
    assert quorum.measured == "3 respondents submitted"
    assert quorum.threshold == "at least 4 (this review's quorum)"
    assert quorum.explanation == (
        "Only 3 of the 4 required team members answered, so the team's view is not established."
    )


def test_review_quorum_is_used_not_the_default_threshold():
    case = case_named("clear confirmation")
    verdict = evaluate(MUDDY, data_for(case), Thresholds(quorum=10))
    assert verdict.confirmable


def test_alpha_that_decides_against_a_high_companion_says_so():
    verdict = verdict_for("agreement near miss (alpha)")
    agreement = verdict.condition("team_agreement")
    assert agreement.measured.startswith("alpha -0.125 on 10 pairable values over 2 dimension(s)")
    assert "would pass, but with this much data alpha decides" in agreement.explanation
    assert agreement.measured_value == pytest.approx(-0.125)
    assert agreement.threshold_value == 0.667


def test_alpha_reliable_and_tentative_are_named():
    reliable = verdict_for("alpha reliable")
    assert reliable.agreement.alpha == pytest.approx(11 / 12)
    assert "reliable" in reliable.condition("team_agreement").explanation
    tentative = verdict_for("alpha tentative")
    assert tentative.agreement.alpha == pytest.approx(0.775)
    assert "only tentatively" in tentative.condition("team_agreement").explanation


def test_overconfidence_is_stated_prominently():
    verdict = verdict_for("overconfidence near miss")
    assert verdict.overconfidence_paradox
    assert verdict.summary.startswith(PARADOX)
    assert PARADOX == (
        "Overconfidence paradox: the team rates itself high, is very sure, and the client "
        "disagrees."
    )
    condition = verdict.condition("overconfidence")
    assert condition.explanation.startswith(PARADOX)
    assert "Member A on Written goals, KPIs and timeline (rating 5 vs client 3, 90 % sure)" in (
        condition.explanation
    )
    assert verdict.condition(CORROBORATE_GOALS).passed  # gap 4/3 is exactly the threshold


def test_overconfident_team_is_flagged_with_member_labels():
    # complexity 4: gap threshold 0.733, confidence 65 %. goals 5 (90 %), 5 (80 %), 4 (60 %)
    # vs client 3: team gap 5/3 at 76.7 %: flagged. A and B (gap 2) flagged, C only 60 % sure.
    team = (
        response(
            member(0), {GOALS: 5, DELIVERY: 5}, complexity=4, confidence={GOALS: 90, DELIVERY: 90}
        ),
        response(
            member(1), {GOALS: 5, DELIVERY: 4}, complexity=4, confidence={GOALS: 80, DELIVERY: 60}
        ),
        response(
            member(2), {GOALS: 4, DELIVERY: 4}, complexity=4, confidence={GOALS: 60, DELIVERY: 95}
        ),
    )
    verdict = evaluate(MUDDY, review(team, {GOALS: 3, DELIVERY: 4}), Thresholds())
    assert {c.key for c in verdict.failed_conditions} == {CORROBORATE_GOALS, "overconfidence"}
    overconfidence = verdict.condition("overconfidence")
    assert overconfidence.measured == "team flagged on Written goals, KPIs and timeline"
    assert (
        "On Written goals, KPIs and timeline the team mean is 4.67 vs the client's 3 (gap 1.67) "
        "at a mean confidence of 77 %" in overconfidence.explanation
    )
    # delivery: the team is not flagged (gap 1/3) but Member A is (5 - 4 = 1 >= 0.733 at 90 %)
    assert "Member A on Quality of what we delivered" in overconfidence.explanation
    assert "Member B on Written goals" in overconfidence.explanation
    assert "Member C" not in overconfidence.explanation
    assert verdict.summary.startswith(PARADOX)
    assert verdict.summary.endswith(
        "'Muddy' cannot be confirmed. Conditions not met (2 of 8): the client corroborates: "
        "Written goals, KPIs and timeline; no overconfidence paradox."
    )


def test_missing_client_never_counts_as_agreement():
    verdict = verdict_for("client never answered")
    assert verdict.condition("client_view").explanation == (
        "No client view: a missing client view never counts as agreement; "
        "record a waiver reason to decide one-sided."
    )
    assert verdict.condition(CORROBORATE_GOALS).measured == "no client view"
    assert "not assessed" in verdict.condition("overconfidence").measured
    assert verdict.one_sided is False


def test_waived_client_view_marks_the_verdict_one_sided():
    verdict = verdict_for("client never answered, waived")
    assert verdict.confirmable and verdict.one_sided
    goals = verdict.condition(CORROBORATE_GOALS)
    assert goals.measured == f"not assessed (one-sided, waived: {WAIVER})"
    assert goals.passed and goals.measured_value is None
    assert f'the lead waived it: "{WAIVER}"' in verdict.condition("client_view").explanation
    assert f"One-sided: decided without a client view (waived: {WAIVER})." in verdict.summary


def test_waiver_is_ignored_when_the_client_answered():
    case = case_named("clear confirmation")
    data = review(team_from_columns(case.columns), CLIENT_AGREES, waiver=WAIVER)
    verdict = evaluate(MUDDY, data, Thresholds())
    assert verdict.confirmable and not verdict.one_sided
    assert "waiver reason is not needed" in verdict.condition("client_view").explanation


def test_client_skipping_a_dimension_is_not_agreement():
    delivery = verdict_for("client skipped a linked dimension").condition(CORROBORATE_DELIVERY)
    assert delivery.measured == "team mean 4.00; no client rating"
    assert "never counts as agreement" in delivery.explanation
