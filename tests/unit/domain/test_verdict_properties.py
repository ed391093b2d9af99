"""Properties of the agreement rule over generated reviews (hypothesis)."""

import math
from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from app.domain.scoring import ClientView, score_review
from app.domain.snapshot import canonical_json, verdict_to_dict
from app.domain.thresholds import Thresholds
from app.domain.verdict import evaluate

from .builders import CATALOGUE, CATEGORIES, PROPERTY_SETTINGS, reviews

THRESHOLDS = Thresholds()


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
