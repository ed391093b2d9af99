import dataclasses
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.errors import (
    ComplexityOutOfRange,
    ConfidenceOutOfRange,
    DuplicateAnswer,
    DuplicateRespondent,
    EmptyReviewData,
    InvalidReviewData,
    MissingRespondentLabel,
    QuorumOutOfRange,
    RatingOutOfRange,
    ReservedRespondentLabel,
    UnknownCategory,
    UnknownDimension,
)
from app.domain.flags import OverconfidenceFlag, new_flag
from app.domain.scoring import (
    CategoryChoice,
    ClientView,
    TeamAnswer,
    TeamResponse,
    category_votes,
    complexity_median,
    score_review,
    validate_review_data,
)
from app.domain.thresholds import Thresholds
from app.domain.verdict import evaluate

from .builders import CATALOGUE, DELIVERY, GOALS, MUDDY, PROPERTY_SETTINGS, response, review

# An overconfident team at complexity level 4 (gap threshold 4/3 - 0.6 = 0.7333; sure from
# 65 %; sure gap threshold 0.7333 / 1.5 = 0.4889).
OVERCONFIDENT_TEAM = (
    TeamResponse(
        "Member A",
        4,
        (TeamAnswer(GOALS, 5, 90), TeamAnswer(DELIVERY, 5, 90), TeamAnswer("timeliness", 3, 50)),
        (
            CategoryChoice(MUDDY, "a"),
            CategoryChoice(MUDDY, "again"),
            CategoryChoice("controlling", "b"),
        ),
    ),
    TeamResponse(
        "Member B",
        4,
        (TeamAnswer(GOALS, 5, 80), TeamAnswer(DELIVERY, 4, 60)),
        (CategoryChoice(MUDDY, "c"),),
    ),
    TeamResponse("Member C", 4, (TeamAnswer(GOALS, 4, 60), TeamAnswer(DELIVERY, 4, 95))),
)
OVERCONFIDENT_CLIENT = {GOALS: 3, DELIVERY: 4}


@pytest.fixture
def scores():
    return score_review(
        review(OVERCONFIDENT_TEAM, OVERCONFIDENT_CLIENT, complexity_floor=4), Thresholds()
    )


def test_review_level_figures(scores):
    assert scores.complexity == 4 and scores.complexity_median == 4.0
    assert scores.sure_gap_threshold == pytest.approx(0.733333 / 1.5, abs=1e-6)
    assert scores.gap_threshold == pytest.approx(0.733333, abs=1e-6)
    assert scores.confidence_threshold == 65
    assert scores.respondents == 3


def test_dimensions_follow_catalogue_order_and_skip_unrated_ones(scores):
    assert [stats.dimension_key for stats in scores.dimensions] == [DELIVERY, "timeliness", GOALS]
    assert scores.stats_for("honesty") is None


def test_stats_on_a_flagged_dimension(scores):
    goals = scores.stats_for(GOALS)
    # ratings 5, 5, 4: mean 14/3; squared deviations 1/9 + 1/9 + 4/9 = 2/3, / (3 - 1) = 1/3
    assert goals.n == 3
    assert goals.team_mean == pytest.approx(14 / 3)
    assert goals.team_median == 5.0
    assert (goals.team_min, goals.team_max) == (4, 5)
    assert goals.team_stdev == pytest.approx((1 / 3) ** 0.5)
    assert goals.client_rating == 3
    assert goals.gap == pytest.approx(14 / 3 - 3)  # 1.6667 >= 0.7333
    assert goals.mean_confidence == pytest.approx(230 / 3)  # (90 + 80 + 60) / 3 = 76.67 >= 65
    # Weighted: (2 + 2 + 1) / 3 + 0.5 * (2 + 2) / 3 = 7/3 > 0.7333 (A and B are sure).
    assert goals.weighted_gap == pytest.approx(7 / 3)
    assert (goals.over_raters, goals.sure_over_raters) == (3, 2)
    assert goals.team_flagged is True
    # A: 5 - 3 = 2 at 90 %; B: 2 at 80 %; C: 1 > 0.49 but only 60 % sure, so not named
    assert goals.flagged_members == ("Member A", "Member B")


def test_stats_on_an_unflagged_dimension_can_still_flag_a_member(scores):
    delivery = scores.stats_for(DELIVERY)
    # ratings 5, 4, 4: mean 13/3, gap 1/3 < 0.7333; confidence (90 + 60 + 95) / 3
    assert delivery.team_mean == pytest.approx(13 / 3)
    assert delivery.team_median == 4.0
    assert delivery.gap == pytest.approx(1 / 3)
    assert delivery.mean_confidence == pytest.approx(245 / 3)
    # Weighted: 1/3 + 0.5 * 1/3 = 0.5 <= 0.7333: the gate does not block here.
    assert delivery.weighted_gap == pytest.approx(0.5)
    assert delivery.team_flagged is False
    assert delivery.flagged_members == ("Member A",)  # 1.5 * (5 - 4) > 0.7333 at 90 %


def test_single_rating_has_zero_stdev_and_no_client_gap(scores):
    timeliness = scores.stats_for("timeliness")
    assert (timeliness.n, timeliness.team_mean, timeliness.team_stdev) == (1, 3.0, 0.0)
    assert timeliness.client_rating is None and timeliness.gap is None
    assert timeliness.flagged_members == ()


def test_member_flags_in_catalogue_order(scores):
    assert scores.flags == (
        OverconfidenceFlag(DELIVERY, "Member A", 5.0, 4, 1.0, 90.0),
        OverconfidenceFlag(GOALS, "Member A", 5.0, 3, 2.0, 90.0),
        OverconfidenceFlag(GOALS, "Member B", 5.0, 3, 2.0, 80.0),
    )


def test_votes_cover_every_category_and_count_a_member_once(scores):
    # Member A chose muddy twice and controlling once; Member B chose muddy.
    assert list(scores.votes) == list(CATALOGUE.category_keys)
    assert scores.votes[MUDDY] == 2
    assert scores.votes["controlling"] == 1
    assert sum(scores.votes.values()) == 3


def test_category_votes_without_a_catalogue_lists_only_chosen_categories():
    assert category_votes(OVERCONFIDENT_TEAM) == {"controlling": 1, MUDDY: 2}


@pytest.mark.parametrize(
    ("complexities", "median"), [([1, 2, 5], 2.0), ([1, 2, 4, 5], 3.0), ([2, 3], 2.5), ([4], 4.0)]
)
def test_complexity_median(complexities, median):
    team = [response(f"M{i}", {GOALS: 3}, complexity=c) for i, c in enumerate(complexities)]
    assert complexity_median(team) == median


def test_scores_do_not_depend_on_the_order_of_responses():
    data = review(OVERCONFIDENT_TEAM, OVERCONFIDENT_CLIENT)
    expected = score_review(data, Thresholds())
    for order in itertools.permutations(OVERCONFIDENT_TEAM):
        assert score_review(review(order, OVERCONFIDENT_CLIENT), Thresholds()) == expected


@PROPERTY_SETTINGS
@given(
    st.tuples(
        st.text(),
        st.text(),
        st.floats(allow_nan=False),
        st.integers(),
        st.floats(allow_nan=False),
        st.floats(allow_nan=False),
    )
)
def test_a_flag_made_by_score_reviews_fast_path_is_the_dataclasss_own(fields):
    fast, own = new_flag(*fields), OverconfidenceFlag(*fields)
    assert type(fast) is OverconfidenceFlag
    assert fast == own and hash(fast) == hash(own) and repr(fast) == repr(own)
    assert dataclasses.asdict(fast) == dataclasses.asdict(own)
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast.who = "someone else"  # type: ignore[misc]


def test_client_view_keeps_its_own_copy_of_the_ratings():
    ratings = {GOALS: 3}
    view = ClientView(ratings)
    ratings[GOALS] = 5
    assert view.ratings == {GOALS: 3}


def _with_answer(rating=4, confidence=70, dimension=GOALS, complexity=2):
    return review(
        [
            TeamResponse("Member A", complexity, (TeamAnswer(dimension, rating, confidence),)),
            response("Member B", {GOALS: 4}),
        ],
        {GOALS: 4},
    )


BAD_INPUT = [
    (
        "rating 0",
        _with_answer(rating=0),
        RatingOutOfRange,
        {"who": "Member A", "dimension": "goals_agreed", "value": 0},
    ),
    ("rating 6", _with_answer(rating=6), RatingOutOfRange, {"value": 6}),
    ("rating 4.5", _with_answer(rating=4.5), RatingOutOfRange, {"value": 4.5}),
    ("rating True", _with_answer(rating=True), RatingOutOfRange, {"value": True}),
    (
        "confidence 49",
        _with_answer(confidence=49),
        ConfidenceOutOfRange,
        {"who": "Member A", "dimension": "goals_agreed", "value": 49},
    ),
    ("confidence 101", _with_answer(confidence=101), ConfidenceOutOfRange, {"value": 101}),
    (
        "complexity 0",
        _with_answer(complexity=0),
        ComplexityOutOfRange,
        # The page's wording names the scale's ends (app/messages.py).
        {"who": "Member A", "value": 0, "low": 1, "high": 5},
    ),
    (
        "complexity 6",
        _with_answer(complexity=6),
        ComplexityOutOfRange,
        {"value": 6, "low": 1, "high": 5},
    ),
    (
        "unknown dimension",
        _with_answer(dimension="vibes"),
        UnknownDimension,
        {"key": "vibes"},
    ),
    (
        "unknown category",
        review([response("Member A", {GOALS: 4}, choices=["grumpy"])], None),
        UnknownCategory,
        {"key": "grumpy"},
    ),
    (
        "client unknown dimension",
        review([response("Member A", {GOALS: 4})], {"vibes": 3}),
        UnknownDimension,
        {"key": "vibes"},
    ),
    (
        "client rating 0",
        review([response("Member A", {GOALS: 4})], {GOALS: 0}),
        RatingOutOfRange,
        {"who": "client", "dimension": "goals_agreed", "value": 0},
    ),
    ("empty team", review([], {GOALS: 4}), EmptyReviewData, {}),
    (
        "duplicate respondent",
        review([response("Member A", {GOALS: 4}), response("Member A", {GOALS: 3})], None),
        DuplicateRespondent,
        {"who": "Member A"},
    ),
    (
        "duplicate answer",
        review(
            [TeamResponse("Member A", 2, (TeamAnswer(GOALS, 4, 70), TeamAnswer(GOALS, 3, 70)))],
            None,
        ),
        DuplicateAnswer,
        {"who": "Member A", "dimension": "goals_agreed"},
    ),
    (
        "blank label",
        review([response("  ", {GOALS: 4})], None),
        MissingRespondentLabel,
        {"who": "  "},
    ),
    (
        "label 'team'",
        review([response("Team", {GOALS: 4})], None),
        ReservedRespondentLabel,
        {"who": "Team"},
    ),
    (
        "quorum 0",
        review([response("Member A", {GOALS: 4})], None, quorum=0),
        QuorumOutOfRange,
        {"value": 0},
    ),
]


@pytest.mark.parametrize(
    ("data", "error", "params"),
    [case[1:] for case in BAD_INPUT],
    ids=[case[0] for case in BAD_INPUT],
)
@pytest.mark.parametrize(
    "entry_point",
    [
        validate_review_data,
        lambda data: score_review(data, Thresholds()),
        lambda data: evaluate(MUDDY, data, Thresholds()),
    ],
    ids=["validate", "score_review", "evaluate"],
)
def test_bad_input_raises_the_named_error(entry_point, data, error, params):
    """Each error says what broke as a code and parameters (the web layer words them)."""
    with pytest.raises(error) as raised:
        entry_point(data)
    assert raised.value.code == error.code
    assert params.items() <= raised.value.params.items()


def test_review_data_errors_share_a_base_class():
    for error in (
        RatingOutOfRange,
        ConfidenceOutOfRange,
        ComplexityOutOfRange,
        EmptyReviewData,
        DuplicateRespondent,
    ):
        assert issubclass(error, InvalidReviewData)
