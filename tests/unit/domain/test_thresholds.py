from dataclasses import fields

import pytest

from app.domain.errors import ComplexityOutOfRange, DomainError, InvalidThresholds
from app.domain.thresholds import PROBLEM_CODES, ThresholdProblem, Thresholds


def test_defaults_rest_on_the_documented_anchors():
    t = Thresholds()
    assert (t.min_respondents, t.quorum) == (3, 3)  # 360-degree tools: three raters up
    assert t.vote_share == pytest.approx(2 / 3)
    assert t.rwg_agreement == 0.70  # James, Demaree & Wolf 1984; LeBreton & Senter 2008
    assert t.agreement_chance == pytest.approx(0.05)  # Dunlap, Burke & Smith-Crowe 2003
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


KNOWN = tuple(field.name for field in fields(Thresholds))
OPEN_LOW_CLOSED_HIGH = {"low": 0, "high": 1, "low_open": True, "high_open": False}
OPEN_BOTH = {"low": 0, "high": 1, "low_open": True, "high_open": True}

# (mapping, code, threshold, params): every refusal is a code with the numbers a sentence
# needs; app/services/thresholds.py words them for the operator.
REFUSALS = [
    ({"quorom": "3"}, "unknown_threshold", None, {"given": "quorom", "known": KNOWN}),
    ({"quorum": "three"}, "not_a_number", "quorum", {"value": "three"}),
    ({"quorum": "2.5"}, "not_whole", "quorum", {"value": "2.5"}),
    ({"quorum": "2"}, "quorum_below_min_respondents", "quorum", {"value": 2, "min_respondents": 3}),
    (
        {"min_respondents": "1", "quorum": "3"},
        "below_minimum",
        "min_respondents",
        {"value": 1, "minimum": 2},
    ),
    ({"vote_share": "0"}, "out_of_range", "vote_share", {"value": 0, **OPEN_LOW_CLOSED_HIGH}),
    ({"vote_share": "1.5"}, "out_of_range", "vote_share", {"value": 1.5, **OPEN_LOW_CLOSED_HIGH}),
    ({"vote_share": "nan"}, "not_a_number", "vote_share", {"value": "nan"}),
    ({"vote_share": float("inf")}, "not_finite", "vote_share", {"value": float("inf")}),
    ({"vote_share": True}, "boolean_given", "vote_share", {"value": True}),
    ({"vote_share": "1/0"}, "not_a_number", "vote_share", {"value": "1/0"}),
    ({"rwg_agreement": "1"}, "out_of_range", "rwg_agreement", {"value": 1, **OPEN_BOTH}),
    ({"rwg_agreement": "0"}, "out_of_range", "rwg_agreement", {"value": 0, **OPEN_BOTH}),
    (
        {"agreement_chance": "0"},
        "out_of_range",
        "agreement_chance",
        {"value": 0, **OPEN_LOW_CLOSED_HIGH},
    ),
    (
        {"agreement_chance": "1.01"},
        "out_of_range",
        "agreement_chance",
        {"value": 1.01, **OPEN_LOW_CLOSED_HIGH},
    ),
    ({"sure_weight": "1"}, "sure_weight_too_low", "sure_weight", {"value": 1, "minimum": 1}),
    (
        {"default_complexity_floor": "6"},
        "out_of_range",
        "default_complexity_floor",
        {"value": 6, "low": 1, "high": 5, "low_open": False, "high_open": False},
    ),
    ({"alpha_tentative": "0.7"}, "unknown_threshold", None, {"given": "alpha_tentative"}),
    ({"min_gap": "2"}, "gap_order", None, {"min_gap": 2, "base_gap": 4 / 3, "high": 4}),
    ({"base_gap": "5"}, "gap_order", None, {"min_gap": 0.5, "base_gap": 5, "high": 4}),
    ({"gap_step": "-0.1"}, "negative_step", "gap_step", {"value": -0.1}),
    (
        {"min_confidence": "40"},
        "confidence_order",
        None,
        {"min_confidence": 40, "base_confidence": 80, "low": 50, "high": 100},
    ),
    (
        {"base_confidence": "101"},
        "confidence_order",
        None,
        {"min_confidence": 60, "base_confidence": 101, "low": 50, "high": 100},
    ),
    ({"confidence_step": "-1"}, "negative_step", "confidence_step", {"value": -1}),
]


@pytest.mark.parametrize(("mapping", "code", "name", "params"), REFUSALS)
def test_from_mapping_refuses_bad_values_and_unknown_names(mapping, code, name, params):
    with pytest.raises(InvalidThresholds) as raised:
        Thresholds.from_mapping(mapping)
    assert isinstance(raised.value, DomainError)
    (problem,) = raised.value.problems
    assert isinstance(problem, ThresholdProblem)
    assert (problem.code, problem.name) == (code, name)
    assert {key: problem.params[key] for key in params} == params


def test_every_problem_code_has_a_refusal_above_and_no_other_code_exists():
    assert {code for _, code, _, _ in REFUSALS} == set(PROBLEM_CODES)


def test_every_problem_is_reported_at_once():
    with pytest.raises(InvalidThresholds) as raised:
        Thresholds.from_mapping({"quorom": "3", "quorum": "2.5", "vote_share": "x"})
    codes = [(problem.code, problem.name) for problem in raised.value.problems]
    assert codes == [
        ("unknown_threshold", None),
        ("not_whole", "quorum"),
        ("not_a_number", "vote_share"),
    ]


def test_refusals_carry_codes_not_sentences():
    """Logs show the code and its parameters; the operator's sentence is the service's."""
    with pytest.raises(InvalidThresholds) as raised:
        Thresholds.from_mapping({"rwg_agreement": "1"})
    assert str(raised.value) == (
        "invalid_thresholds: problems=['rwg_agreement: out_of_range (high=1, high_open=True, "
        "low=0, low_open=True, value=1.0)']"
    )
    with pytest.raises(ComplexityOutOfRange) as raised:
        Thresholds().gap_threshold(6)
    assert raised.value.params == {"value": 6, "low": 1, "high": 5}
    assert str(raised.value) == "complexity_out_of_range: high=5, low=1, value=6"


@pytest.mark.parametrize(
    ("overrides", "code", "name"),
    [
        ({"quorum": 2.5}, "not_whole", "quorum"),
        ({"min_respondents": True}, "not_whole", "min_respondents"),
        ({"vote_share": float("nan")}, "not_finite", "vote_share"),
        ({"base_gap": "1"}, "not_finite", "base_gap"),
    ],
)
def test_direct_construction_is_validated_too(overrides, code, name):
    with pytest.raises(InvalidThresholds) as raised:
        Thresholds(**overrides)
    assert (code, name) in [(problem.code, problem.name) for problem in raised.value.problems]


def test_to_dict_lists_every_threshold():
    assert Thresholds().to_dict()["rwg_agreement"] == 0.70
    assert Thresholds.from_mapping(Thresholds().to_dict()) == Thresholds()
