"""A sealed record read back (app/domain/record.py): the anonymised answers and the
per-question figures come back as they were sealed, for any review (hypothesis).

The readers make equal answers one shared instance and flags through the quick maker
score_review uses; the plain constructions below are what they must equal."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.flags import OverconfidenceFlag
from app.domain.record import (
    RECORD_SCHEMA,
    build_record,
    exact_thresholds,
    read_record,
    record_text,
    review_data_of,
    scores_of_record,
    thresholds_of_record,
)
from app.domain.scoring import (
    CategoryChoice,
    DimensionStats,
    ReviewData,
    ReviewScores,
    TeamAnswer,
    TeamResponse,
    score_review,
)
from app.domain.snapshot import canonical_json
from app.domain.thresholds import Thresholds

from .builders import CATALOGUE, PROPERTY_SETTINGS, reviews

THRESHOLDS = Thresholds()


def _sealed(data: ReviewData) -> tuple[ReviewScores, dict]:
    """The record of a decision on `data`, as its text is read back."""
    scores = score_review(data, THRESHOLDS)
    record = build_record(
        review={"id": 1, "quorum": data.quorum, "complexity_floor": data.complexity_floor},
        client={"id": 1, "name": "Client"},
        decided_by={"id": 1, "name": "Lead"},
        decided_at="2026-03-15T12:00:00+00:00",
        rationale="Reasons.",
        outcomes={},
        waiver=data.waiver_reason,
        one_sided=False,
        final_status="active",
        data=data,
        scores=scores,
        verdicts=(),
        thresholds=THRESHOLDS,
        catalogue=CATALOGUE,
        named=(),
        evidence={},
        comments={},
        client_words=None,
        raw_answers_digest="0" * 64,
    )
    return scores, read_record(record_text(record))


@PROPERTY_SETTINGS
@given(data=reviews())
def test_the_answers_read_back_are_the_ones_sealed(data):
    _scores, record = _sealed(data)
    back = review_data_of(record)
    # Anonymised as sealed: by respondent label, without comments or evidence text.
    assert back.team == tuple(
        TeamResponse(
            response.respondent,
            response.complexity,
            tuple(TeamAnswer(a.dimension_key, a.rating, a.confidence) for a in response.answers),
            tuple(
                CategoryChoice(key, "")
                for key in sorted({c.category_key for c in response.choices})
            ),
        )
        for response in sorted(data.team, key=lambda response: response.respondent)
    )
    assert back.client == data.client
    assert (back.quorum, back.waiver_reason, back.complexity_floor) == (
        data.quorum,
        data.waiver_reason,
        data.complexity_floor,
    )


@PROPERTY_SETTINGS
@given(data=reviews())
def test_the_figures_read_back_are_the_ones_sealed(data):
    scores, record = _sealed(data)
    back = scores_of_record(record)
    stored = record["scores"]
    plain = ReviewScores(
        **{
            **stored,
            "dimensions": tuple(
                DimensionStats(**{**d, "flagged_members": tuple(d["flagged_members"])})
                for d in stored["dimensions"]
            ),
            "flags": tuple(OverconfidenceFlag(**f) for f in stored["flags"]),
        }
    )
    assert back == plain
    assert [(f.dimension_key, f.who, f.client_rating) for f in back.flags] == [
        (f.dimension_key, f.who, f.client_rating) for f in scores.flags
    ]
    for read, made in zip(back.flags, scores.flags, strict=True):
        assert abs(read.gap - made.gap) < 1e-6 and abs(read.confidence - made.confidence) < 1e-6


def test_the_thresholds_read_back_are_the_ones_sealed():
    stricter = Thresholds(agreement_chance=0.01, rwg_agreement=0.8)
    record = {"thresholds": exact_thresholds(stricter)}
    assert thresholds_of_record(read_record_like(record)) == stricter


def test_a_record_sealed_before_the_chance_check_reads_with_the_check_off():
    """Its verdicts were judged without it: its thresholds must not claim a 5 % bar."""
    sealed = exact_thresholds(Thresholds())
    del sealed["agreement_chance"]
    assert thresholds_of_record({"thresholds": sealed}).agreement_chance == 1
    assert thresholds_of_record({"thresholds": sealed}).rwg_agreement == 0.70


def read_record_like(record: dict) -> dict:
    """A record's thresholds as canonical JSON gives them back: text fractions."""
    return json.loads(json.dumps(record))


# Any value canonical JSON can write: what a record is made of, nested.
_JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@PROPERTY_SETTINGS
@given(body=st.dictionaries(st.text(), _JSON_VALUES, max_size=6))
def test_the_fast_reader_reads_what_the_standard_library_reads(body):
    """read_record parses with orjson: for every text canonical JSON writes, the values
    are exactly those `json.loads` gives (floats to the bit, text to the character)."""
    text = canonical_json({**body, "schema": RECORD_SCHEMA})
    read = read_record(text)
    assert read == json.loads(text)
    assert canonical_json(read) == text


@pytest.mark.parametrize(
    "text",
    [
        '{"schema": 2, "x": NaN}',
        '{"schema": 2, "x": 1e999999}',
        '{"schema": 2, "x": 1,}',
        '{"schema": 1}',
        "[2]",
        "",
    ],
)
def test_a_text_the_builder_never_writes_is_not_a_record(text):
    with pytest.raises(ValueError):
        read_record(text)
