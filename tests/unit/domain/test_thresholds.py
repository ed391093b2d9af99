import pytest

from app.domain.errors import ComplexityOutOfRange, DomainError, InvalidThresholds
from app.domain.thresholds import Thresholds


def test_defaults_rest_on_the_documented_anchors():
    t = Thresholds()
    assert (t.min_respondents, t.quorum) == (3, 3)  # 360-degree tools: three raters up
    assert t.vote_share == pytest.approx(2 / 3)
    assert t.rwg_agreement == 0.70  # James, Demaree & Wolf 1984; LeBreton & Senter 2008
    assert t.sure_weight == 1.5
    assert t.default_complexity_floor == 3
    assert t.base_gap == pytest.approx(4 / 3)  # a third of the 4-point range of a 1-5 scale
    assert (t.gap_step, t.min_gap) == (0.2, 0.5)
    assert (t.base_confidence, t.confidence_step, t.min_confidence) == (80, 5, 60)


# gap = max(0.5, 4/3 - 0.2 (c - 1));  confidence = max(60, 80 - 5 (c - 1))
@pytest.mark.parametrize(
    ("complexity", "gap", "confidence"),
    [
        (1, 1.333333, 80),  # 4/3
        (2, 1.133333, 75),  # 4/3 - 0.2
        (3, 0.933333, 70),  # 4/3 - 0.4
        (4, 0.733333, 65),  # 4/3 - 0.6
        (4.5, 0.633333, 62.5),  # 4/3 - 0.7, a median between two members
        (5, 0.533333, 60),  # 4/3 - 0.8, still above the 0.5 floor
    ],
)
def test_thresholds_tighten_linearly_with_complexity(complexity, gap, confidence):
    t = Thresholds()
    assert t.gap_threshold(complexity) == pytest.approx(gap, abs=1e-6)
    assert t.confidence_threshold(complexity) == pytest.approx(confidence)
    assert t.sure_gap_threshold(complexity) == pytest.approx(gap / 1.5, abs=1e-6)


def test_floors_hold_when_steps_are_steep():
    t = Thresholds(gap_step=0.5, confidence_step=10)
    # 4/3 - 0.5 * 4 = -0.67 -> floor 0.5;  80 - 10 * 4 = 40 -> floor 60
    assert t.gap_threshold(5) == 0.5
    assert t.confidence_threshold(5) == 60
    assert t.gap_threshold(2) == pytest.approx(4 / 3 - 0.5)
    assert t.confidence_threshold(2) == 70


@pytest.mark.parametrize("complexity", [0, 0.99, 5.01, 6])
def test_complexity_outside_the_scale_is_refused(complexity):
    with pytest.raises(ComplexityOutOfRange):
        Thresholds().gap_threshold(complexity)
    with pytest.raises(ComplexityOutOfRange):
        Thresholds().confidence_threshold(complexity)


def test_from_mapping_parses_text_from_the_environment():
    t = Thresholds.from_mapping(
        {
            "quorum": "4",
            "VOTE_SHARE": "3/4",
            "rwg_agreement": " 0.8 ",
            "sure_weight": "2",
            "min_respondents": 2,
            "min_confidence": "55",
            "base_gap": "1",
        }
    )
    assert t.quorum == 4 and isinstance(t.quorum, int)
    assert t.vote_share == 0.75
    assert t.rwg_agreement == 0.8
    assert t.sure_weight == 2.0
    assert t.min_respondents == 2 and t.lowered_min_respondents
    assert t.min_confidence == 55.0
    assert t.base_gap == 1.0
    assert t.gap_step == 0.2  # untouched fields keep their defaults


def test_a_stricter_minimum_lifts_the_default_quorum_with_it():
    assert Thresholds.from_mapping({"min_respondents": "5"}).quorum == 5
    assert not Thresholds().lowered_min_respondents


def test_from_mapping_with_nothing_gives_the_defaults():
    assert Thresholds.from_mapping({}) == Thresholds()


def test_whole_valued_text_is_accepted_for_whole_number_fields():
    assert Thresholds.from_mapping({"quorum": "5.0"}).quorum == 5


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        ({"quorom": "3"}, "unknown threshold 'quorom'"),
        ({"quorum": "three"}, "expected a number"),
        ({"quorum": "2.5"}, "expected a whole number"),
        ({"quorum": "2"}, "quorum must be at least min_respondents"),
        ({"min_respondents": "1", "quorum": "3"}, "min_respondents must be at least 2"),
        ({"vote_share": "0"}, "vote_share must be above 0 and at most 1"),
        ({"vote_share": "1.5"}, "vote_share must be above 0 and at most 1"),
        ({"vote_share": "nan"}, "expected a number"),
        ({"vote_share": float("inf")}, "expected a finite number"),
        ({"vote_share": True}, "not true/false"),
        ({"vote_share": "1/0"}, "expected a number"),
        ({"rwg_agreement": "1"}, "rwg_agreement must be above 0 and below 1"),
        ({"rwg_agreement": "0"}, "rwg_agreement must be above 0 and below 1"),
        ({"sure_weight": "1"}, "sure_weight must be above 1"),
        ({"default_complexity_floor": "6"}, "default_complexity_floor must lie between 1 and 5"),
        ({"alpha_tentative": "0.7"}, "unknown threshold 'alpha_tentative'"),
        ({"min_gap": "2"}, "min_gap <= base_gap"),
        ({"base_gap": "5"}, "base_gap <= 4"),
        ({"gap_step": "-0.1"}, "gap_step must not be negative"),
        ({"min_confidence": "40"}, "50 <= min_confidence"),
        ({"base_confidence": "101"}, "base_confidence <= 100"),
        ({"confidence_step": "-1"}, "confidence_step must not be negative"),
    ],
)
def test_from_mapping_refuses_bad_values_and_unknown_names(mapping, message):
    with pytest.raises(InvalidThresholds) as raised:
        Thresholds.from_mapping(mapping)
    assert message in str(raised.value)
    assert isinstance(raised.value, DomainError)


def test_direct_construction_is_validated_too():
    with pytest.raises(InvalidThresholds, match="quorum must be a whole number"):
        Thresholds(quorum=2.5)


def test_to_dict_lists_every_threshold():
    assert Thresholds().to_dict()["rwg_agreement"] == 0.70
    assert Thresholds.from_mapping(Thresholds().to_dict()) == Thresholds()
