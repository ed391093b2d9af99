"""Properties of the agreement rule over generated reviews (hypothesis)."""

import math
from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from app.domain.scoring import (
    CategoryChoice,
    ClientView,
    TeamAnswer,
    TeamResponse,
    score_review,
)
from app.domain.snapshot import canonical_json, verdict_to_dict
from app.domain.thresholds import Thresholds
from app.domain.verdict import evaluate

from .builders import CATALOGUE, PROPERTY_SETTINGS, member, review

CATEGORIES = ("muddy", "non_responsive", "conservative", "controlling")
# every dimension linked to one of those categories, plus one unlinked dimension
DIMENSIONS = tuple(
    dict.fromkeys(
        [key for category in CATEGORIES for key in CATALOGUE.category(category).dimension_keys]
        + ["timeliness"]
    )
)
THRESHOLDS = Thresholds()


@st.composite
def team_responses(draw, size):
    responses = []
    for index in range(size):
        answers = []
        for key in DIMENSIONS:
            rating = draw(st.one_of(st.none(), st.integers(1, 5), st.integers(3, 5)))
            if rating is not None:
                answers.append(TeamAnswer(key, rating, draw(st.integers(50, 100))))
        choices = draw(st.lists(st.sampled_from(CATEGORIES), max_size=3))
        responses.append(
            TeamResponse(
                respondent=member(index),
                complexity=draw(st.integers(1, 5)),
                answers=tuple(answers),
                choices=tuple(CategoryChoice(key, "evidence") for key in choices),
            )
        )
    return tuple(responses)


@st.composite
def reviews(draw):
    team = draw(st.integers(1, 7).flatmap(team_responses))
    client = draw(
        st.one_of(
            st.none(),
            st.dictionaries(st.sampled_from(DIMENSIONS), st.integers(1, 5)),
        )
    )
    waiver = draw(st.sampled_from([None, "", "  ", "The client stopped answering in March"]))
    return review(
        team,
        client,
        quorum=draw(st.integers(1, 5)),
        waiver=waiver,
        complexity_floor=draw(st.integers(1, 5)),
    )


def _floats(value):
    if isinstance(value, float):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _floats(item)
    elif isinstance(value, list):
        for item in value:
            yield from _floats(item)


@PROPERTY_SETTINGS
@given(data=reviews(), category=st.sampled_from(CATEGORIES))
def test_never_confirmable_when_any_condition_fails(data, category):
    verdict = evaluate(category, data, THRESHOLDS)
    assert verdict.confirmable == all(condition.passed for condition in verdict.conditions)
    if verdict.failed_conditions:
        assert not verdict.confirmable
        assert verdict.failed_keys
    # no NaN or infinity anywhere: canonical_json refuses them
    as_dict = verdict_to_dict(verdict)
    canonical_json(as_dict)
    assert all(math.isfinite(number) for number in _floats(as_dict))


@PROPERTY_SETTINGS
@given(data=reviews(), category=st.sampled_from(CATEGORIES), draw=st.data())
def test_an_agreeing_client_rating_never_turns_a_pass_into_a_fail(data, category, draw):
    before = evaluate(category, data, THRESHOLDS)
    scores = score_review(data, THRESHOLDS)
    ratings = dict(data.client.ratings) if data.client is not None else {}
    for key in CATALOGUE.category(category).dimension_keys:
        if key in ratings:
            continue
        stats = scores.stats_for(key)
        # agrees: at least the team mean rounded up (capped at 5, which a mean never exceeds)
        lowest = 1 if stats is None else min(5, math.ceil(stats.team_mean))
        ratings[key] = draw.draw(st.integers(lowest, 5))
    after_data = replace(data, client=ClientView(ratings))
    after = evaluate(category, after_data, THRESHOLDS)
    passed_after = {condition.key: condition.passed for condition in after.conditions}
    for condition in before.conditions:
        if condition.passed:
            assert passed_after[condition.key], (condition.key, after.condition(condition.key))
    if before.confirmable:
        assert after.confirmable


@PROPERTY_SETTINGS
@given(
    data=reviews(), category=st.sampled_from(CATEGORIES), order=st.randoms(use_true_random=False)
)
def test_results_do_not_depend_on_the_order_of_responses(data, category, order):
    shuffled = list(data.team)
    order.shuffle(shuffled)
    reordered = replace(data, team=tuple(shuffled))
    assert evaluate(category, reordered, THRESHOLDS) == evaluate(category, data, THRESHOLDS)
    assert score_review(reordered, THRESHOLDS) == score_review(data, THRESHOLDS)
