"""Agreement beyond luck: the exact chance that random answering looks at least as agreed
as a team (app/domain/chance.py), and the "chance" state it gives small teams."""

from __future__ import annotations

import itertools
from collections import Counter
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.agreement import rwg, team_agreement
from app.domain.catalogue import SCALE
from app.domain.chance import (
    chance_of_agreement,
    chance_of_reaching,
    joint_chance,
    spread_statistic,
)

from .builders import PROPERTY_SETTINGS

BAR, CHANCE = 0.70, 1 / 20


def _counted(raters: int) -> Counter:
    """How many of the 5^n possible answer sets have each spread: by brute force."""
    return Counter(spread_statistic(answers) for answers in itertools.product(SCALE, repeat=raters))


@pytest.mark.parametrize("raters", [2, 3, 4, 5, 6])
def test_the_chance_equals_a_count_of_every_possible_answer_set(raters):
    counted = _counted(raters)
    total = len(SCALE) ** raters
    for ratings in itertools.combinations_with_replacement(SCALE, raters):
        spread = spread_statistic(ratings)
        exact = Fraction(sum(n for s, n in counted.items() if s <= spread), total)
        assert chance_of_agreement(ratings) == pytest.approx(float(exact), abs=1e-12), ratings


@pytest.mark.parametrize(
    ("ratings", "exact"),
    [
        ((4, 4, 4), Fraction(5, 125)),  # five ways to be unanimous
        ((4, 4, 5), Fraction(29, 125)),  # and 24 ways to be two and one a point apart
        ((3, 4, 5), Fraction(47, 125)),
        ((4, 4, 4, 5), Fraction(37, 625)),
        ((4, 4, 4, 4, 5), Fraction(45, 3125)),
        ((1, 5), Fraction(1)),  # nothing is spread wider than the whole scale
    ],
)
def test_exact_chances_of_small_teams(ratings, exact):
    assert chance_of_agreement(ratings) == pytest.approx(float(exact), abs=1e-12)


@pytest.mark.parametrize(
    ("raters", "reaching_the_bar"),
    # docs/agreement-rule.md's table: how often random answers reach r_wg 0.70.
    [(2, 0.52), (3, 0.232), (4, 0.0976), (5, 0.0592), (6, 0.045), (7, 0.0275), (12, 0.002)],
)
def test_how_often_luck_alone_reaches_the_r_wg_bar(raters, reaching_the_bar):
    at_the_bar = max(
        (r for r in itertools.combinations_with_replacement(SCALE, raters) if rwg(r) >= BAR),
        key=spread_statistic,
    )
    assert chance_of_agreement(at_the_bar) == pytest.approx(reaching_the_bar, abs=5e-5)
    assert chance_of_reaching(raters, BAR) == chance_of_agreement(at_the_bar)


def test_fewer_than_two_ratings_have_no_chance():
    assert chance_of_agreement([4]) is None and chance_of_agreement([]) is None
    assert joint_chance([0.5, None]) is None and joint_chance([]) is None


def test_a_hundred_raters_are_computed_and_stay_a_probability():
    ratings = [4] * 90 + [5] * 10
    chance = chance_of_agreement(ratings)
    assert 0 < chance < 1e-30
    assert chance_of_agreement([1, 5] * 50) == pytest.approx(1.0)


ratings_lists = st.lists(st.sampled_from(SCALE), min_size=2, max_size=14)


@PROPERTY_SETTINGS
@given(ratings_lists, st.randoms(use_true_random=False))
def test_the_chance_depends_only_on_the_spread(ratings, rnd):
    shuffled = list(ratings)
    rnd.shuffle(shuffled)
    mirrored = [SCALE[-1] + SCALE[0] - r for r in ratings]
    chance = chance_of_agreement(ratings)
    assert 0 < chance <= 1
    assert chance_of_agreement(shuffled) == chance
    assert chance_of_agreement(mirrored) == pytest.approx(chance, abs=1e-12)


@PROPERTY_SETTINGS
@given(ratings_lists, ratings_lists)
def test_answers_at_least_as_alike_are_never_likelier_by_luck(first, second):
    """Same number of raters: the smaller spread (the higher r_wg) has the smaller chance."""
    second = (second * len(first))[: len(first)]
    if spread_statistic(first) <= spread_statistic(second):
        assert chance_of_agreement(first) <= chance_of_agreement(second) + 1e-12


@PROPERTY_SETTINGS
@given(st.integers(2, 30))
def test_a_unanimous_team_is_likelier_by_luck_the_smaller_it_is(raters):
    assert chance_of_agreement([3] * raters) == pytest.approx(len(SCALE) ** (1 - raters))
    assert chance_of_agreement([3] * (raters + 1)) < chance_of_agreement([3] * raters)


def _team(*columns: tuple[int, ...]) -> dict[str, dict[str, int]]:
    keys = "abc"[: len(columns)]
    rows = zip(*columns, strict=True)
    return {f"M{i}": dict(zip(keys, row, strict=True)) for i, row in enumerate(rows)}


def test_three_members_a_point_apart_reach_the_bar_but_not_beyond_luck():
    agreement = team_agreement(_team((4, 4, 5)), ["a"], BAR, CHANCE)
    assert agreement.state == "chance" and not agreement.agrees
    assert agreement.weakest_rwg == pytest.approx(1 - (1 / 3) / 2)  # 0.83: above the bar
    assert agreement.chance == pytest.approx(29 / 125)
    assert agreement.dimensions[0].agrees and agreement.disagreeing_dimensions == ()


def test_three_unanimous_members_agree_beyond_luck():
    agreement = team_agreement(_team((4, 4, 4)), ["a"], BAR, CHANCE)
    assert agreement.state == "agree" and agreement.chance == pytest.approx(0.04)


def test_every_linked_question_counts_towards_the_joint_chance():
    both_a_point_apart = team_agreement(_team((4, 4, 5), (3, 4, 4)), ["a", "b"], BAR, CHANCE)
    assert both_a_point_apart.state == "chance"
    assert both_a_point_apart.chance == pytest.approx((29 / 125) ** 2)  # 5.4 %
    one_unanimous = team_agreement(_team((4, 4, 4), (3, 4, 4)), ["a", "b"], BAR, CHANCE)
    assert one_unanimous.state == "agree"
    assert one_unanimous.chance == pytest.approx(0.04 * 29 / 125)
    assert [d.chance for d in one_unanimous.dimensions] == pytest.approx([0.04, 29 / 125])


def test_a_chance_equal_to_the_bar_meets_it():
    agreement = team_agreement(_team((4, 4, 4)), ["a"], BAR, 0.04)
    assert agreement.state == "agree"


def test_a_split_team_disagrees_whatever_the_chance():
    agreement = team_agreement(_team((2, 2, 5, 5)), ["a"], BAR, 1.0)
    assert agreement.state == "disagree"


def test_a_chance_bar_of_one_turns_the_check_off():
    assert team_agreement(_team((4, 4, 5)), ["a"], BAR, 1.0).state == "agree"


@PROPERTY_SETTINGS
@given(st.lists(st.tuples(st.sampled_from(SCALE), st.sampled_from(SCALE)), min_size=2, max_size=9))
def test_the_chance_check_only_ever_withholds_agreement(rows):
    team = {f"M{i}": {"a": a, "b": b} for i, (a, b) in enumerate(rows)}
    checked = team_agreement(team, ["a", "b"], BAR, CHANCE)
    unchecked = team_agreement(team, ["a", "b"], BAR, 1.0)
    assert checked.state == unchecked.state or (checked.state, unchecked.state) == (
        "chance",
        "agree",
    )
    if checked.state == "chance":
        assert checked.chance > CHANCE
    if checked.state == "agree":
        assert checked.chance <= CHANCE + 1e-9


@pytest.mark.parametrize("raters", [*range(6, 41), 60, 100, 101, 150, 1000])
def test_from_six_raters_on_luck_never_decides_at_the_default_bars(raters):
    """What README and docs/agreement-rule.md promise: from six members on, every rating set
    that reaches r_wg 0.70 is also beyond luck at 5 %, on one question and so on several."""
    assert chance_of_reaching(raters, BAR) <= CHANCE


@pytest.mark.parametrize("raters", [2, 3, 4, 5])
def test_below_six_raters_luck_alone_reaches_the_bar_too_often(raters):
    assert chance_of_reaching(raters, BAR) > CHANCE


def _state(ratings) -> str:
    return team_agreement(
        {f"M{i}": {"a": r} for i, r in enumerate(ratings)}, ["a"], BAR, CHANCE
    ).state


def _median_points(ratings) -> set[int]:
    ordered = sorted(ratings)
    middle = len(ordered) // 2
    return {ordered[middle], ordered[(len(ordered) - 1) // 2]}


@pytest.mark.parametrize("raters", range(2, 9))
def test_more_likeness_never_withholds_agreement(raters):
    """Checked on every rating set of 2 to 8 members: a member added at the median, or a
    rating moved one point toward the median, never turns agreement into "chance"."""
    for ratings in itertools.combinations_with_replacement(SCALE, raters):
        if _state(ratings) != "agree":
            continue
        for point in _median_points(ratings):
            assert _state((*ratings, point)) == "agree", (ratings, point)
            for index, rating in enumerate(ratings):
                if rating != point:
                    moved = list(ratings)
                    moved[index] += 1 if rating < point else -1
                    assert _state(moved) == "agree", (ratings, moved)


def test_above_a_hundred_raters_an_upper_bound_proves_agreement_beyond_luck():
    ratings = (4,) * 100 + (5,)
    agreement = team_agreement(_team(ratings), ["a"], BAR, CHANCE)
    assert agreement.state == "agree" and not agreement.chance_exact
    assert chance_of_agreement(ratings, exact=True) <= agreement.chance <= CHANCE
    assert team_agreement(_team(ratings[:100]), ["a"], BAR, CHANCE).chance_exact


@pytest.mark.parametrize("raters", [101, 130])
def test_the_bound_is_never_below_the_exact_chance(raters):
    for share in (0, 0.1, 0.3, 0.5):
        fives = int(raters * share)
        ratings = (4,) * (raters - fives) + (5,) * fives
        bound = chance_of_agreement(ratings)
        assert bound >= chance_of_agreement(ratings, exact=True)
    assert chance_of_agreement((1, 5) * 51) == 1.0  # spread wider than random: the bound is 1


def test_a_bound_too_loose_to_tell_gives_way_to_the_exact_chance():
    ratings = (3,) * 60 + (4,) * 41  # r_wg 0.88
    agreement = team_agreement(_team(ratings), ["a"], 0.5, 1e-60)
    assert agreement.chance_exact
    assert agreement.chance == chance_of_agreement(ratings, exact=True)
    assert agreement.state == ("agree" if agreement.chance <= 1e-60 else "chance")
