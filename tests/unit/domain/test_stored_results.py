"""A closed review's stored results (app/domain/stored_results.py) read back as exactly what
was stored, with the flags kept as a lazy text of rows (app/domain/flags.py), and sealed so
that no part of what the seal binds can change unnoticed.

The comparison page is drawn from these results while they hold, so any figure that does
not come back bit for bit would put a different number on the page than the rows say;
a reader that accepted a text it did not write, or a seal that still matched after an
edit, would let a database user put words in the team's mouth."""

from __future__ import annotations

from dataclasses import FrozenInstanceError

import orjson
import pytest
from hypothesis import given

from app.domain.flags import FlagRows, OverconfidenceFlag, flag_rows_text
from app.domain.scoring import ReviewData, score_review
from app.domain.snapshot import scores_from_dict, scores_to_dict
from app.domain.stored_results import (
    StoredResults,
    StoredText,
    read_stored_results,
    results_seal,
    results_seal_matches,
    stored_results_text,
)
from app.domain.thresholds import Thresholds
from app.domain.verdict import evaluate_all

from .builders import DELIVERY, GOALS, PROPERTY_SETTINGS, member, response, review, reviews

THRESHOLDS = Thresholds()


def stored_of(data: ReviewData, thresholds: Thresholds = THRESHOLDS, **extra) -> StoredResults:
    """What the service stores for `data`: the real scores and verdicts of every category
    that got a vote, with the texts the page shows beside them."""
    scores = score_review(data, thresholds)
    voted = [key for key in data.catalogue.category_keys if scores.votes.get(key, 0) > 0]
    verdicts = evaluate_all(data, thresholds, voted, scores=scores) if voted else ()
    client_words = None
    if data.client is not None:
        client_words = {
            "source": "link",
            "submitted_at": "2026-03-15T12:00:00+00:00",
            "recorded_by": None,
            "quote": "",
            "comment": "Overall «unhappy» & late.",
            "answers": {GOALS: "Never written down."},
        }
    return StoredResults(
        scores=scores,
        verdicts=verdicts,
        named=tuple(sorted(r.respondent for r in data.team[:1])),
        evidence={"muddy": [(None, "Goals moved weekly."), ("Member A", "No brief <b>.")]},
        comments={GOALS: ["Comment 1", "Kommentár 2"]},
        client_words=client_words,
        has_client=data.client is not None,
        quorum=data.quorum,
        thresholds=thresholds,
        **extra,
    )


def read(body: bytes, flag_rows: bytes = b"[]") -> StoredResults:
    """`read_stored_results` with the flags' rows as the store hands them over."""
    return read_stored_results(body, lambda: flag_rows)


def assert_round_trip(stored: StoredResults) -> StoredResults:
    text = stored_results_text(stored)
    back = read(text.body, text.flag_rows)
    assert back == stored
    # Floats exact, not merely close: the page prints what the rows' page would print.
    assert [
        (d.team_mean, d.team_stdev, d.gap, d.weighted_gap, d.mean_confidence)
        for d in back.scores.dimensions
    ] == [
        (d.team_mean, d.team_stdev, d.gap, d.weighted_gap, d.mean_confidence)
        for d in stored.scores.dimensions
    ]
    assert isinstance(back.scores.flags, FlagRows)
    assert back.scores.flags == tuple(stored.scores.flags) == tuple(back.scores.flags)
    assert stored_results_text(back) == text  # written again: the same bytes
    return back


@PROPERTY_SETTINGS
@given(data=reviews())
def test_any_reviews_results_read_back_as_stored(data):
    assert_round_trip(stored_of(data))


def sure_team(ratings_and_confidences, client: dict | None, level: int = 3) -> ReviewData:
    team = [
        response(member(i), {GOALS: r, DELIVERY: r}, confidence=c, complexity=level)
        for i, (r, c) in enumerate(ratings_and_confidences)
    ]
    return review(team, client, complexity_floor=level)


def test_without_a_client_nothing_is_flagged_and_it_reads_back():
    stored = stored_of(sure_team([(5, 95), (4, 90), (5, 99)], None))
    assert stored.scores.flags == () and stored.client_words is None
    assert assert_round_trip(stored).has_client is False


def test_one_flag_reads_back():
    stored = stored_of(sure_team([(5, 95), (2, 60), (2, 60)], {GOALS: 2, DELIVERY: 5}))
    assert len(stored.scores.flags) == 1
    back = assert_round_trip(stored)
    assert back.scores.flags[0] == stored.scores.flags[0]


def test_many_flags_and_a_decided_reviews_extras_read_back():
    """Thirds and sevenths: floats whose shortest text is long, kept exactly."""
    data = sure_team([(5, 97), (4, 91), (5, 93), (4, 99), (5, 90), (4, 94), (5, 96)], {GOALS: 1})
    stricter = Thresholds(agreement_chance=0.01, rwg_agreement=0.8, vote_share=0.75)
    stored = stored_of(data, stricter, answers_digest="ab" * 32, catalogue_text='{"v": 1}')
    assert len(stored.scores.flags) >= 7
    back = assert_round_trip(stored)
    assert back.thresholds == stricter and back.catalogue_text == '{"v": 1}'


FLAGS = (
    OverconfidenceFlag(GOALS, "Member A", 5.0, 2, 3.0, 95.0),
    OverconfidenceFlag(GOALS, "Member B", 14 / 3, 2, 8 / 3, 90.5),
    OverconfidenceFlag(DELIVERY, "Member A", 5.0, 1, 4.0, 95.0),
)


def test_flag_rows_count_without_reading_their_text():
    """The page only counts the flags: a count needs no parsing, so a text that is not even
    JSON is only noticed once a flag is read."""
    rows = FlagRows(3, lambda: "this is not JSON [")
    assert len(rows) == 3
    with pytest.raises(ValueError):
        list(rows)
    with pytest.raises(ValueError):
        rows[0]


def test_flag_rows_equal_the_tuple_they_stand_for_both_ways():
    rows = FlagRows(len(FLAGS), lambda: flag_rows_text(FLAGS))
    assert rows == FLAGS and FLAGS == rows
    assert rows == list(FLAGS) and not (rows != FLAGS)
    assert tuple(rows) == FLAGS and rows[1] == FLAGS[1] and rows[-1] == FLAGS[-1]
    assert hash(rows) == hash(FLAGS)
    assert rows != FLAGS[:2] and FLAGS[:2] != rows
    assert rows != tuple(reversed(FLAGS)) and tuple(reversed(FLAGS)) != rows
    assert FlagRows(0, lambda: "[]") == () and FlagRows(0, lambda: "[]") != "[]"


def test_a_count_that_disagrees_with_the_rows_is_refused_when_read():
    for count in (len(FLAGS) - 1, len(FLAGS) + 1, 0):
        rows = FlagRows(count, lambda: flag_rows_text(FLAGS))
        assert len(rows) == count
        with pytest.raises(ValueError):
            tuple(rows)
    with pytest.raises(ValueError):
        tuple(FlagRows(1, lambda: '{"not": "rows"}'))


def test_a_stored_count_that_disagrees_with_the_rows_is_refused_when_read():
    text = stored_results_text(stored_of(sure_team([(5, 95), (2, 60), (2, 60)], {GOALS: 2})))
    body = orjson.loads(text.body)
    body["flag_count"] += 1
    back = read(orjson.dumps(body), text.flag_rows)
    with pytest.raises(ValueError):
        tuple(back.scores.flags)


@pytest.fixture(scope="module")
def text() -> StoredText:
    return stored_results_text(stored_of(sure_team([(5, 95), (4, 90), (2, 60)], {GOALS: 2})))


@pytest.mark.parametrize("body", [b"", b"[]", b"{}", b"null", b"42", b'"text"', b"{", b"\xff"])
def test_texts_it_did_not_write_are_refused(body):
    with pytest.raises(ValueError):
        read(body)


def test_another_schema_is_refused(text):
    for schema in (0, 2, "1", None):
        with pytest.raises(ValueError):
            read(orjson.dumps({**orjson.loads(text.body), "schema": schema}))


def test_every_key_is_needed(text):
    body = orjson.loads(text.body)
    for key in body:
        with pytest.raises(ValueError):
            read(orjson.dumps({k: v for k, v in body.items() if k != key}))
    scores = {k: v for k, v in body["scores"].items() if k != "respondents"}
    with pytest.raises(ValueError):
        read(orjson.dumps({**body, "scores": scores}))


def test_a_truncated_text_is_refused(text):
    with pytest.raises(ValueError):
        read(text.body[: len(text.body) // 2])


KEY = b"an archive key of the deployment"
BASIS = "rows=abc;data=2;thresholds={}"


def test_the_seal_matches_the_same_inputs():
    seal = results_seal(KEY, 7, BASIS, b"text")
    assert len(seal) == 64 and seal == results_seal(KEY, 7, BASIS, b"text")
    assert results_seal_matches(KEY, 7, BASIS, b"text", seal)


@pytest.mark.parametrize(
    "changed",
    [
        (b"another key", 7, BASIS, b"text"),
        (KEY, 8, BASIS, b"text"),
        (KEY, 7, BASIS.replace("data=2", "data=3"), b"text"),
        (KEY, 7, BASIS, b"text "),
        (KEY, 7, BASIS, b"Text"),
    ],
    ids=["key", "review", "basis", "text-longer", "text-byte"],
)
def test_the_seal_fails_when_any_one_input_changes(changed):
    seal = results_seal(KEY, 7, BASIS, b"text")
    assert not results_seal_matches(*changed, seal)
    assert not results_seal_matches(KEY, 7, BASIS, b"text", seal[:-1] + "0")  # a seal edited
    assert results_seal(*changed) != seal


def test_the_seal_tells_the_review_from_the_basis():
    """Review 1 with a basis "2\\n..." is not review 12 with basis "...": the id cannot
    run on into the basis, nor the basis into the id."""
    assert results_seal(KEY, 12, BASIS, b"t") != results_seal(KEY, 1, "2\n" + BASIS, b"t")
    assert results_seal(KEY, 12, BASIS, b"t") != results_seal(KEY, 1, "2" + BASIS, b"t")
    assert results_seal(KEY, 1, BASIS, b"t") != results_seal(KEY, 12, BASIS[1:], b"t")
    assert not results_seal_matches(KEY, 12, BASIS, b"t", results_seal(KEY, 1, "2\n" + BASIS, b"t"))


def test_the_seal_tells_the_basis_from_the_text():
    """A newline in the basis cannot move bytes between basis and text: each part is
    sealed with its length."""
    assert results_seal(KEY, 1, "A\nB", b"T") != results_seal(KEY, 1, "A", b"B\nT")


@pytest.mark.parametrize("rows", ["[[1, 2]]", "[5]", '["abcdef"]', "[null]"])
def test_rows_of_another_shape_are_refused_as_flags(rows):
    with pytest.raises(ValueError):
        tuple(FlagRows(1, lambda: rows))


@pytest.mark.parametrize("thresholds", [{"min_respondents": 1}, {"vote_share": "2/3"}, {}])
def test_thresholds_it_never_writes_are_refused(text, thresholds):
    """Only through ValueError: the page then reads the rows instead of failing."""
    body = orjson.loads(text.body)
    body["thresholds"] = {**body["thresholds"], **thresholds} if thresholds else {"nope": 1}
    with pytest.raises(ValueError):
        read(orjson.dumps(body))


def test_per_question_figures_read_back_as_the_scorers_own():
    """Read back without their __init__ (app/domain/snapshot.py: _dimension_stats), they
    are still equal, hashable alike and frozen; a stored form missing a field with a
    default (an older record) gets the default, and a name that is no field is refused."""
    scores = stored_of(sure_team([(5, 95), (4, 90), (2, 60)], {GOALS: 2})).scores
    stored = scores_to_dict(scores)
    back = scores_from_dict(stored, scores.flags).dimensions
    assert back == scores.dimensions and hash(back) == hash(scores.dimensions)
    with pytest.raises(FrozenInstanceError):
        back[0].n = 99
    older = {k: v for k, v in stored["dimensions"][0].items() if k != "over_raters"}
    assert scores_from_dict({**stored, "dimensions": [older]}, ()).dimensions[0].over_raters == 0
    with pytest.raises(TypeError):
        scores_from_dict({**stored, "dimensions": [{**older, "extra": 1}]}, ())


def test_flag_rows_are_read_only_when_a_flag_is_and_only_the_stored_ones():
    """The body binds the flags' rows by their hash: other rows, even well-formed ones
    with the stored count, are refused when read; the count alone never reads them."""
    text = stored_results_text(stored_of(sure_team([(5, 95), (4, 90), (2, 60)], {GOALS: 2})))
    asked = []
    back = read_stored_results(text.body, lambda: asked.append(1) or text.flag_rows)
    assert len(back.scores.flags) == 2 and asked == []
    assert tuple(back.scores.flags) and asked == [1]
    other = flag_rows_text(tuple(reversed(tuple(back.scores.flags))))
    with pytest.raises(ValueError):
        tuple(read(text.body, other).scores.flags)
    with pytest.raises(ValueError):
        tuple(read_stored_results(text.body, lambda: text.flag_rows.decode()).scores.flags)
