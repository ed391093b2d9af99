"""The overconfidence gate: sure over-rating gets less slack, and confidence can decide."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.scoring import score_review
from app.domain.thresholds import Thresholds
from app.domain.verdict import evaluate

from .builders import DELIVERY, GOALS, MUDDY, PROPERTY_SETTINGS, member, response, review

T = Thresholds()
LINKED = (GOALS, DELIVERY)


def team(ratings, confidences, complexity=3):
    return [
        response(member(i), {GOALS: r, DELIVERY: r}, confidence=c, complexity=complexity)
        for i, (r, c) in enumerate(zip(ratings, confidences, strict=True))
    ]


@pytest.mark.parametrize("level", [1, 2, 3, 4, 5])
def test_the_sure_bar_is_strictly_below_the_corroboration_bar_at_every_level(level):
    assert 0 < T.sure_gap_threshold(level) < T.gap_threshold(level)


def test_weighted_gap_counts_sure_over_rating_one_and_a_half_times():
    # Client 3; members 5 (sure), 4 (unsure), 3, 3 at level 3 (sure from 70 %).
    data = review(team([5, 4, 3, 3], [90, 60, 90, 90]), {GOALS: 3, DELIVERY: 3}, complexity_floor=3)
    stats = score_review(data, T).stats_for(GOALS)
    assert stats.gap == pytest.approx(0.75)
    assert stats.weighted_gap == pytest.approx((3 + 0.5 * 2) / 4)
    assert (stats.over_raters, stats.sure_over_raters) == (2, 1)
    assert stats.team_flagged  # 1.0 > 0.933
    assert stats.flagged_members == ("Member A",)


def test_an_unsure_team_that_over_rates_fails_corroboration_but_is_not_called_overconfident():
    data = review(team([5, 5, 5], [55, 55, 55]), {GOALS: 3, DELIVERY: 3}, complexity_floor=3)
    verdict = evaluate(MUDDY, data, T)
    assert not verdict.condition(f"corroboration:{GOALS}").passed
    assert verdict.condition("overconfidence").passed
    assert not verdict.overconfidence_paradox


def test_sure_modest_members_do_not_make_unsure_over_raters_a_sure_team():
    # Unsure over-raters (5) beside sure members at the client's level (3): no flag.
    data = review(
        team([5, 5, 3, 3], [55, 55, 100, 100]), {GOALS: 3, DELIVERY: 3}, complexity_floor=1
    )
    verdict = evaluate(MUDDY, data, T)
    assert verdict.condition("overconfidence").passed


def test_sure_over_raters_among_unsure_colleagues_are_caught():
    # Level 3: gap bar 0.93. Two sure members at 5, three unsure at 3, client 3.
    data = review(
        team([5, 5, 3, 3, 3], [95, 95, 55, 55, 55]), {GOALS: 3, DELIVERY: 3}, complexity_floor=3
    )
    verdict = evaluate(MUDDY, data, T)
    assert verdict.condition(f"corroboration:{GOALS}").passed  # plain gap 0.8
    overconfidence = verdict.condition("overconfidence")
    assert not overconfidence.passed and overconfidence.reason == "blocked"
    assert overconfidence.measured == pytest.approx((4 + 0.5 * 4) / 5)
    assert {m["who"] for m in overconfidence.params["members"]} == {"Member A", "Member B"}


@pytest.mark.parametrize("level", [1, 2, 3, 4, 5])
def test_for_every_level_a_band_of_gaps_is_confirmable_unsure_and_blocked_sure(level):
    """Find, by construction, ratings whose plain gap lies in (sure bar, gap bar]."""
    low, high = T.sure_gap_threshold(level), T.gap_threshold(level)
    found = False
    for size in range(3, 13):
        for over in range(1, size + 1):
            gap = over / size  # `over` members one point above a client at 3
            if low < gap <= high:
                ratings = [4] * over + [3] * (size - over)
                client = {GOALS: 3, DELIVERY: 3}
                unsure = review(team(ratings, [55] * size, level), client, complexity_floor=level)
                sure = review(team(ratings, [100] * size, level), client, complexity_floor=level)
                blocked = evaluate(MUDDY, sure, T)
                assert not blocked.confirmable and blocked.overconfidence_paradox
                verdict = evaluate(MUDDY, unsure, T)
                failing = [(c.code, c.reason) for c in verdict.conditions if not c.passed]
                if failing == [("team_agreement", "chance")]:
                    continue  # three members this alike could be luck (test_agreement_chance.py)
                assert verdict.confirmable, (level, ratings)
                found = True
    assert found


@st.composite
def reviews(draw):
    size = draw(st.integers(3, 8))
    ratings = draw(st.lists(st.integers(1, 5), min_size=size, max_size=size))
    confidences = draw(st.lists(st.integers(50, 100), min_size=size, max_size=size))
    complexities = draw(st.lists(st.integers(1, 5), min_size=size, max_size=size))
    client = draw(st.integers(1, 5))
    level = draw(st.integers(1, 5))
    return ratings, confidences, complexities, client, level


def build(ratings, confidences, complexities, client, level):
    members = [
        response(member(i), {GOALS: r, DELIVERY: r}, confidence=c, complexity=k)
        for i, (r, c, k) in enumerate(zip(ratings, confidences, complexities, strict=True))
    ]
    return review(members, {GOALS: client, DELIVERY: client}, complexity_floor=level)


@PROPERTY_SETTINGS
@given(reviews(), st.data())
def test_raising_any_members_confidence_never_makes_confirmation_easier(case, data):
    ratings, confidences, complexities, client, level = case
    index = data.draw(st.integers(0, len(ratings) - 1))
    raised = list(confidences)
    raised[index] = data.draw(st.integers(confidences[index], 100))
    before = evaluate(MUDDY, build(ratings, confidences, complexities, client, level), T)
    after = evaluate(MUDDY, build(ratings, raised, complexities, client, level), T)
    assert not (after.confirmable and not before.confirmable)
    assert after.condition("overconfidence").passed <= before.condition("overconfidence").passed


@PROPERTY_SETTINGS
@given(reviews())
def test_named_members_are_exactly_those_whose_own_rating_and_confidence_meet_the_bar(case):
    ratings, confidences, complexities, client, level = case
    scores = score_review(build(ratings, confidences, complexities, client, level), T)
    sure_from, sure_gap = T.confidence_threshold(level), T.sure_gap_threshold(level)
    expected = tuple(
        member(i)
        for i, (r, c) in enumerate(zip(ratings, confidences, strict=True))
        if c >= sure_from and r - client > sure_gap + 1e-9
    )
    assert scores.stats_for(GOALS).flagged_members == expected


@PROPERTY_SETTINGS
@given(reviews(), st.data())
def test_lowering_any_members_complexity_rating_never_makes_confirmation_easier(case, data):
    ratings, confidences, complexities, client, level = case
    index = data.draw(st.integers(0, len(ratings) - 1))
    lowered = list(complexities)
    lowered[index] = data.draw(st.integers(1, complexities[index]))
    before = evaluate(MUDDY, build(ratings, confidences, complexities, client, level), T)
    after = evaluate(MUDDY, build(ratings, confidences, lowered, client, level), T)
    assert not (after.confirmable and not before.confirmable)


@PROPERTY_SETTINGS
@given(reviews(), st.integers(1, 5))
def test_a_higher_complexity_floor_never_makes_confirmation_easier(case, higher):
    ratings, confidences, complexities, client, level = case
    higher = max(higher, level)
    before = evaluate(MUDDY, build(ratings, confidences, complexities, client, level), T)
    after = evaluate(MUDDY, build(ratings, confidences, complexities, client, higher), T)
    assert not (after.confirmable and not before.confirmable)


def test_members_rating_the_project_harder_than_the_floor_is_reported_not_used():
    members = team([4, 4, 4], [60, 60, 60], complexity=5)
    verdict = evaluate(MUDDY, review(members, {GOALS: 4, DELIVERY: 4}, complexity_floor=2), T)
    complexity = verdict.condition("complexity")
    assert complexity.reason == "team_rated_harder"
    assert complexity.params["level"] == 2 and complexity.params["team_median"] == 5
    assert complexity.params["gap"] == pytest.approx(T.gap_threshold(2))


@PROPERTY_SETTINGS
@given(reviews())
def test_the_gates_counts_and_flags_are_the_rule_asked_of_each_member(case):
    """score_review finds the sure over-raters in one pass over plain lists; the figures
    must be the gate's own methods asked member by member."""
    ratings, confidences, complexities, client, level = case
    scores = score_review(build(ratings, confidences, complexities, client, level), T)
    gate, stats = scores.gate, scores.stats_for(GOALS)
    members = list(enumerate(zip(ratings, confidences, strict=True)))
    over = [(i, r, c) for i, (r, c) in members if r > client]
    sure = [(i, r, c) for i, r, c in over if gate.is_sure(c)]
    sure_over_total = sum(r - client for _, r, _ in sure)
    weighted = gate.weighted_gap(
        sum(ratings) - len(ratings) * client, sure_over_total, len(ratings)
    )
    flags = [
        (GOALS, member(i), float(r), client, float(r - client), float(c))
        for i, r, c in sure
        if gate.names(r, c, client)
    ]
    assert (stats.over_raters, stats.sure_over_raters) == (len(over), len(sure))
    assert stats.weighted_gap == weighted
    assert stats.team_flagged == gate.blocks(weighted, len(sure))
    assert [
        (f.dimension_key, f.who, f.rating_or_mean, f.client_rating, f.gap, f.confidence)
        for f in scores.flags
        if f.dimension_key == GOALS
    ] == flags
