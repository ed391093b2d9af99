"""Team agreement on one target: r_wg per linked dimension decides; alpha only informs.

The properties are checked exhaustively: every multiset of ratings for teams of 2 to 12
members (at most 1,820 per size), not a sample.
"""

import itertools
import statistics

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.agreement import (
    AD_PRACTICAL_BAR,
    RANDOM_VARIANCE,
    average_deviation,
    dimension_agreement,
    rwg,
    team_agreement,
)
from app.domain.errors import RatingOutOfRange

from .builders import PROPERTY_SETTINGS

BAR = 0.70
CHANCE = 1 / 20
TEAM_SIZES = range(2, 13)


def agrees(ratings) -> bool:
    return dimension_agreement("d", ratings, BAR).agrees


def every_team(size):
    return (list(team) for team in itertools.combinations_with_replacement(range(1, 6), size))


# --- exact numbers -------------------------------------------------------------------


def test_random_answering_on_five_points_has_variance_two():
    assert RANDOM_VARIANCE == 2.0
    assert AD_PRACTICAL_BAR == pytest.approx(5 / 6)


@pytest.mark.parametrize(
    ("ratings", "expected_rwg", "expected_ad"),
    [
        ([4, 4, 4, 4, 4], 1.0, 0.0),
        ([4, 4, 4, 4, 5], 0.9, 0.32),
        ([4, 5], 0.75, 0.5),
        ([2, 2, 4, 4], 1 - (4 / 3) / 2, 1.0),
        ([1, 5], 0.0, 2.0),  # variance 8 > 2: truncated at 0
        ([3, 4, 5], 0.5, 2 / 3),
    ],
)
def test_rwg_and_ad_match_hand_computation(ratings, expected_rwg, expected_ad):
    assert rwg(ratings) == pytest.approx(expected_rwg)
    assert average_deviation(ratings) == pytest.approx(expected_ad)


def test_one_rating_has_no_agreement_index():
    assert rwg([4]) is None and average_deviation([4]) is None
    assert not dimension_agreement("d", [4], BAR).agrees


def test_the_team_that_alpha_vetoed_now_agrees_and_alpha_is_only_reported():
    ratings = {f"M{i}": {"a": 4, "b": 4} for i in range(4)} | {"M4": {"a": 4, "b": 5}}
    agreement = team_agreement(ratings, ["a", "b"], BAR, CHANCE)
    assert agreement.state == "agree"
    assert agreement.alpha == pytest.approx(0.0)
    assert agreement.weakest_dimension == "b" and agreement.weakest_rwg == pytest.approx(0.9)


def test_the_weakest_linked_dimension_decides():
    ratings = {
        "A": {"a": 4, "b": 2},
        "B": {"a": 4, "b": 2},
        "C": {"a": 4, "b": 4},
        "D": {"a": 4, "b": 4},
    }
    agreement = team_agreement(ratings, ["a", "b"], BAR, CHANCE)
    assert agreement.state == "disagree"
    assert agreement.disagreeing_dimensions == ("b",)
    assert agreement.weakest_rwg == pytest.approx(1 - (4 / 3) / 2)


def test_a_linked_dimension_with_one_rating_is_too_few_and_never_agreement():
    agreement = team_agreement({"A": {"a": 4, "b": 4}, "B": {"a": 4}}, ["a", "b"], BAR, CHANCE)
    assert agreement.state == "too_few" and not agreement.agrees
    assert agreement.weakest_rwg is None


def test_a_rating_off_the_scale_is_refused_with_its_parameters():
    with pytest.raises(RatingOutOfRange) as raised:
        team_agreement({"A": {"a": 6}, "B": {"a": 4}}, ["a"], BAR, CHANCE)
    assert raised.value.code == "rating_out_of_range"
    assert raised.value.params == {"who": "A", "dimension": "a", "value": 6}


# --- properties, exhaustive over teams of 2 to 12 ----------------------------------------


@pytest.mark.parametrize("size", TEAM_SIZES)
def test_near_identical_ratings_always_agree(size):
    for team in every_team(size):
        if max(team) - min(team) <= 1:
            assert agrees(team), team


@pytest.mark.parametrize("size", TEAM_SIZES)
def test_two_camps_two_or_more_points_apart_never_agree(size):
    smallest_camp = 1 if size <= 6 else 2
    for team in every_team(size):
        for split in range(smallest_camp, size - smallest_camp + 1):
            low, high = team[:split], team[split:]
            if high and low and high[0] - low[-1] >= 2:
                assert not agrees(team), (team, split)


def _neighbours_of_median(team):
    median = statistics.median(team)
    return [int(median)] if median == int(median) else [int(median), int(median) + 1]


@pytest.mark.parametrize("size", TEAM_SIZES)
def test_adding_a_member_at_the_median_never_breaks_agreement(size):
    for team in every_team(size):
        if agrees(team):
            for rating in _neighbours_of_median(team):
                assert agrees([*team, rating]), (team, rating)


@pytest.mark.parametrize("size", TEAM_SIZES)
def test_moving_a_rating_toward_the_median_never_breaks_agreement(size):
    for team in every_team(size):
        if not agrees(team):
            continue
        median = statistics.median(team)
        for index, rating in enumerate(team):
            if abs(rating - median) < 1:
                continue
            moved = list(team)
            moved[index] = rating + (1 if rating < median else -1)
            assert agrees(moved), (team, moved)


def test_two_raters_agree_exactly_when_at_most_one_point_apart():
    for a, b in itertools.product(range(1, 6), repeat=2):
        assert agrees([a, b]) == (abs(a - b) <= 1)


@PROPERTY_SETTINGS
@given(
    st.lists(
        st.fixed_dictionaries({"a": st.integers(1, 5), "b": st.integers(1, 5)}),
        min_size=2,
        max_size=12,
    ),
    st.randoms(use_true_random=False),
)
def test_agreement_does_not_depend_on_order_or_names(rows, rnd):
    named = {f"Member {i}": row for i, row in enumerate(rows)}
    shuffled_rows = list(rows)
    rnd.shuffle(shuffled_rows)
    renamed = {f"X{rnd.random()}-{i}": row for i, row in enumerate(shuffled_rows)}
    first = team_agreement(named, ["a", "b"], BAR, CHANCE)
    second = team_agreement(renamed, ["a", "b"], BAR, CHANCE)
    assert (first.state, first.weakest_rwg, first.weakest_dimension) == (
        second.state,
        second.weakest_rwg,
        second.weakest_dimension,
    )
    assert first.dimensions == second.dimensions
