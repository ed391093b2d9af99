"""The operator reads a refused CANDOR_THRESHOLD_* setting in the start-up log: one plain
English sentence per problem, naming the variable and what it allows."""

import pytest

from app import create_app
from app.config import ConfigurationError
from app.domain.errors import InvalidThresholds
from app.domain.thresholds import PROBLEM_CODES, ThresholdProblem, Thresholds
from app.services.thresholds import WORDINGS, problem_text, thresholds_refusal


def refusal(mapping) -> InvalidThresholds:
    with pytest.raises(InvalidThresholds) as raised:
        Thresholds.from_mapping(mapping)
    return raised.value


def test_no_problem_code_lacks_an_operator_wording():
    assert set(WORDINGS) == set(PROBLEM_CODES)


@pytest.mark.parametrize(
    ("mapping", "sentence"),
    [
        (
            {"quorum": "three"},
            "CANDOR_THRESHOLD_QUORUM='three' is not a number (the default is 3).",
        ),
        (
            {"quorum": "2.5"},
            "CANDOR_THRESHOLD_QUORUM='2.5' is not a whole number; write one such as 3, "
            "the default.",
        ),
        (
            {"vote_share": float("inf")},
            "CANDOR_THRESHOLD_VOTE_SHARE=inf is not a finite number (the default is 0.666667).",
        ),
        (
            {"vote_share": True},
            "CANDOR_THRESHOLD_VOTE_SHARE=True is true/false, not a number "
            "(the default is 0.666667).",
        ),
        (
            {"min_respondents": "1", "quorum": "3"},
            "CANDOR_THRESHOLD_MIN_RESPONDENTS=1 is too low: it must be at least 2.",
        ),
        (
            {"quorum": "2"},
            "CANDOR_THRESHOLD_QUORUM=2 is below the minimum number of respondents, 3 "
            "(CANDOR_THRESHOLD_MIN_RESPONDENTS): the quorum must be at least that.",
        ),
        (
            {"vote_share": "1.5"},
            "CANDOR_THRESHOLD_VOTE_SHARE=1.5 is out of range: it must be above 0 and at most 1.",
        ),
        (
            {"rwg_agreement": "1"},
            "CANDOR_THRESHOLD_RWG_AGREEMENT=1.0 is out of range: it must be above 0 and below 1.",
        ),
        (
            {"agreement_chance": "0"},
            "CANDOR_THRESHOLD_AGREEMENT_CHANCE=0.0 is out of range: it must be above 0 and at "
            "most 1.",
        ),
        (
            {"default_complexity_floor": "6"},
            "CANDOR_THRESHOLD_DEFAULT_COMPLEXITY_FLOOR=6 is out of range: it must be from 1 to 5.",
        ),
        (
            {"sure_weight": "1"},
            "CANDOR_THRESHOLD_SURE_WEIGHT=1.0 is too low: it must be above 1, so that a sure "
            "team gets less slack, not more.",
        ),
        (
            {"base_gap": "5"},
            "CANDOR_THRESHOLD_MIN_GAP=0.5 and CANDOR_THRESHOLD_BASE_GAP=5.0 do not fit: they "
            "must satisfy 0 < min_gap <= base_gap <= 4 (scale points).",
        ),
        (
            {"min_confidence": "40"},
            "CANDOR_THRESHOLD_MIN_CONFIDENCE=40.0 and CANDOR_THRESHOLD_BASE_CONFIDENCE=80 do "
            "not fit: they must satisfy 50 <= min_confidence <= base_confidence <= 100 "
            "(per cent).",
        ),
        (
            {"gap_step": "-0.1"},
            "CANDOR_THRESHOLD_GAP_STEP=-0.1 is negative: it must be 0 or more, so a harder "
            "project never loosens the check.",
        ),
    ],
)
def test_each_problem_reads_as_a_sentence_naming_the_variable(mapping, sentence):
    (problem,) = refusal(mapping).problems
    assert problem_text(problem) == sentence


def test_an_unknown_name_lists_the_known_ones():
    (problem,) = refusal({"quorom": "3"}).problems
    text = problem_text(problem)
    assert text.startswith("CANDOR_THRESHOLD_QUOROM is not a known threshold; the known ones are ")
    for name in Thresholds().to_dict():
        assert f"CANDOR_THRESHOLD_{name.upper()}" in text


def test_every_code_is_worded_without_falling_back_to_the_code():
    """A sentence for each code, from the refusals the domain really gives."""
    from tests.unit.domain.test_thresholds import REFUSALS

    for mapping, code, _name, _params in REFUSALS:
        (problem,) = refusal(mapping).problems
        text = problem_text(problem)
        assert code not in text and "CANDOR_THRESHOLD_" in text, text


def test_a_code_without_a_wording_still_shows_its_data():
    assert problem_text(ThresholdProblem("new_code", "quorum", {"value": 1})) == (
        "quorum: new_code (value=1)"
    )


def test_every_problem_is_in_the_refusal():
    text = thresholds_refusal(refusal({"quorum": "three", "rwg_agreement": "high"}))
    assert text == (
        "CANDOR_THRESHOLD_QUORUM='three' is not a number (the default is 3). "
        "CANDOR_THRESHOLD_RWG_AGREEMENT='high' is not a number (the default is 0.7). "
        "Refusing to start."
    )


@pytest.mark.parametrize(
    ("variable", "value", "sentence"),
    [
        (
            "CANDOR_THRESHOLD_VOTE_SHARE",
            "1.5",
            "CANDOR_THRESHOLD_VOTE_SHARE=1.5 is out of range: it must be above 0 and at most 1.",
        ),
        (
            "CANDOR_THRESHOLD_QUOROM",
            "4",
            "CANDOR_THRESHOLD_QUOROM is not a known threshold; the known ones are "
            "CANDOR_THRESHOLD_MIN_RESPONDENTS, CANDOR_THRESHOLD_QUORUM,",
        ),
    ],
)
def test_a_bad_threshold_variable_stops_the_app_with_the_sentence(
    monkeypatch, tmp_path, variable, value, sentence
):
    monkeypatch.setenv(variable, value)
    config = {"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/t.db"}
    with pytest.raises(ConfigurationError) as raised:
        create_app(config)
    message = str(raised.value)
    assert message.startswith(sentence)
    assert message.endswith("Refusing to start.")
    # The domain's refusal stays attached for whoever wants the codes.
    assert isinstance(raised.value.__cause__, InvalidThresholds)


def test_good_threshold_variables_start_the_app(monkeypatch, tmp_path):
    monkeypatch.setenv("CANDOR_THRESHOLD_VOTE_SHARE", "3/4")
    config = {"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/t.db"}
    app = create_app(config)
    assert app.extensions["candor_thresholds"].vote_share == 0.75
