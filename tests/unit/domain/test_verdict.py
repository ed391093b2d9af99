"""The agreement rule: the case table, verdicts as data, and whole-catalogue evaluation."""

import re

import pytest

from app.domain.errors import UnknownCategory
from app.domain.scoring import ClientView
from app.domain.snapshot import canonical_json, verdict_to_dict
from app.domain.thresholds import Thresholds
from app.domain.verdict import evaluate, evaluate_all

from .builders import CATALOGUE, DELIVERY, GOALS, MUDDY, review, team_from_columns
from .verdict_cases import (
    BASE,
    CASES,
    CLIENT_AGREES,
    CORROBORATE_DELIVERY,
    CORROBORATE_GOALS,
    WAIVER,
    case_named,
    data_for,
    verdict_for,
)

ORDER = [
    "quorum",
    "vote_share",
    "team_agreement",
    CORROBORATE_GOALS,
    CORROBORATE_DELIVERY,
    "overconfidence",
    "complexity",
    "client_view",
]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_agreement_rule(case):
    verdict = evaluate(MUDDY, data_for(case), case.thresholds)
    assert set(verdict.failed_keys) == case.failed
    assert verdict.confirmable is (not case.failed)
    assert verdict.one_sided is case.one_sided
    assert [condition.key for condition in verdict.conditions] == ORDER
    canonical_json(verdict_to_dict(verdict))  # refuses NaN: nothing undefined leaks out


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_a_verdict_holds_codes_and_numbers_never_sentences(case):
    stored = verdict_to_dict(evaluate(MUDDY, data_for(case), case.thresholds))
    user_text = {WAIVER}
    for text in _strings(stored):
        if text in user_text:
            continue
        assert re.fullmatch(r"[a-z0-9_:]+|Member [A-Z]", text), text


def test_the_paradox_names_the_sure_over_raters_and_gives_its_numbers():
    verdict = verdict_for("the same ratings, sure")
    condition = verdict.condition("overconfidence")
    assert verdict.overconfidence_paradox
    assert condition.reason == "blocked"
    assert condition.measured == pytest.approx(2.0) and condition.bar == pytest.approx(4 / 3)
    (blocked,) = condition.params["blocked"]
    assert blocked["dimension"] == GOALS and blocked["sure_over_raters"] == 3
    assert [m["who"] for m in condition.params["members"]] == ["Member A", "Member B", "Member C"]


def test_quorum_uses_the_larger_of_the_review_quorum_and_the_minimum():
    condition = verdict_for("two respondents").condition("quorum")
    assert (condition.measured, condition.bar) == (2.0, 3.0)
    assert condition.params["min_respondents"] == 3 and condition.params["quorum"] == 2
    lowered = Thresholds(min_respondents=2, quorum=2)
    data = data_for(case_named("two respondents"))
    allowed = evaluate(MUDDY, data, lowered).condition("quorum")
    assert allowed.passed and allowed.params["lowered_minimum"] is True


def test_a_skipped_linked_dimension_is_not_assessed_and_needs_the_waiver():
    strict = verdict_for("client skipped delivery")
    skipped = strict.condition(CORROBORATE_DELIVERY)
    assert (skipped.reason, skipped.assessed, skipped.passed) == ("skipped", False, False)
    assert strict.not_assessed == (DELIVERY,) and not strict.one_sided
    waived = verdict_for("client skipped delivery, waived")
    assert waived.condition(CORROBORATE_DELIVERY).reason == "skipped_waived"
    assert waived.condition("client_view").params["skipped_linked"] == [DELIVERY]


def test_a_client_view_recorded_by_a_lead_says_who_and_quotes_the_source():
    team = team_from_columns(BASE)
    data = review(team, CLIENT_AGREES)
    data = type(data)(
        data.catalogue,
        data.team,
        ClientView(CLIENT_AGREES, source="lead", recorded_by="Lea Lead", quote="Mail of 3 May"),
        data.quorum,
    )
    condition = evaluate(MUDDY, data, Thresholds()).condition("client_view")
    assert condition.reason == "recorded"
    assert condition.params["recorded_by"] == "Lea Lead"
    assert condition.params["quote"] == "Mail of 3 May"


def test_a_tie_in_votes_confirms_neither_category():
    choices = [[MUDDY], [MUDDY], ["controlling"], ["controlling"]]
    team = team_from_columns({GOALS: [4, 4, 4, 4], DELIVERY: [4, 4, 4, 4]}, choices=choices)
    for verdict in evaluate_all(review(team, CLIENT_AGREES), Thresholds(), [MUDDY, "controlling"]):
        votes = verdict.condition("vote_share")
        assert not votes.passed and not verdict.confirmable
        assert votes.measured == 0.5 and votes.params == {"votes": 2, "respondents": 4}


@pytest.mark.parametrize(
    ("votes", "respondents", "passes"),
    [(2, 3, True), (1, 3, False), (0, 3, False), (3, 5, False), (4, 5, True), (3, 4, True)],
)
def test_vote_share_needs_two_thirds(votes, respondents, passes):
    choices = [[MUDDY]] * votes + [[]] * (respondents - votes)
    team = team_from_columns({GOALS: [4] * respondents}, choices=choices)
    condition = evaluate(MUDDY, review(team, CLIENT_AGREES), Thresholds()).condition("vote_share")
    assert condition.passed is passes
    assert condition.reason == ("met" if passes else "none" if votes == 0 else "short")


# goals 4, 4, 4 vs client 3 (gap 1.0), delivery 4, 5, 4 vs 4, 70 % sure.
# gap bar by level: 1.33, 1.13, 0.93, 0.73, 0.53; sure from 80, 75, 70, 65, 60 %.
@pytest.mark.parametrize(
    ("level", "failed"),
    [
        (1, set()),
        (2, set()),
        (3, {CORROBORATE_GOALS, "overconfidence"}),  # 1.0 > 0.93 and 70 % is sure at 3
        (4, {CORROBORATE_GOALS, "overconfidence"}),
        (5, {CORROBORATE_GOALS, "overconfidence"}),
    ],
)
def test_the_same_data_passes_when_simple_and_fails_when_complex(level, failed):
    team = team_from_columns({GOALS: [4, 4, 4], DELIVERY: [4, 5, 4]})
    data = review(team, {GOALS: 3, DELIVERY: 4}, complexity_floor=level)
    assert set(evaluate(MUDDY, data, Thresholds()).failed_keys) == failed


def test_unknown_category_is_refused_with_its_code():
    with pytest.raises(UnknownCategory) as raised:
        evaluate("grumpy", data_for(case_named("clear confirmation")), Thresholds())
    assert raised.value.code == "unknown_category" and raised.value.params["key"] == "grumpy"


def test_evaluate_all_judges_every_category_in_catalogue_order():
    verdicts = evaluate_all(data_for(case_named("clear confirmation")), Thresholds())
    assert [verdict.category_key for verdict in verdicts] == list(CATALOGUE.category_keys)
    assert [verdict.category_key for verdict in verdicts if verdict.confirmable] == [MUDDY]
