import hashlib
import json

import pytest

from app.domain.errors import SnapshotNotSerializable
from app.domain.lifecycle import ReviewState
from app.domain.scoring import score_review
from app.domain.snapshot import (
    GENESIS_DIGEST,
    build_snapshot,
    canonical_json,
    chain_digest,
    scores_to_dict,
    verdict_to_dict,
)
from app.domain.thresholds import Thresholds
from app.domain.verdict import evaluate_all

from .builders import DELIVERY, GOALS, MUDDY, review, team_from_columns


def test_canonical_json_is_sorted_compact_and_keeps_non_ascii_text():
    assert canonical_json({"b": 1, "a": "Ügyfél", "c": [True, None]}) == (
        '{"a":"Ügyfél","b":1,"c":[true,null]}'
    )


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (2 / 3, "0.666667"),
        (0.6666666666666666, "0.666667"),
        (0.66666670, "0.666667"),
        (4.0, "4"),  # databases may hand back 4 for 4.0
        (4, "4"),
        (-0.0, "0"),
        (-1e-9, "0"),
        (1.25, "1.25"),
        (ReviewState.DECIDED, '"decided"'),
        ((1, 2.5), "[1,2.5]"),
    ],
)
def test_canonical_numbers_do_not_depend_on_representation(value, text):
    assert canonical_json(value) == text


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (float("nan"), "snapshot_not_finite"),
        (float("inf"), "snapshot_not_finite"),
        ({1: "x"}, "snapshot_key_not_text"),
        ({"when": object()}, "snapshot_not_serializable"),
    ],
)
def test_values_without_a_canonical_form_are_refused(value, code):
    with pytest.raises(SnapshotNotSerializable) as refused:
        canonical_json(value)
    # A code and parameters, as every domain error: no sentence to translate.
    assert refused.value.code == code


def test_chain_digest_is_sha256_of_previous_newline_canonical_json():
    snapshot = {"b": 0.1 + 0.2, "a": 1}
    expected_first = hashlib.sha256(f'{"0" * 64}\n{{"a":1,"b":0.3}}'.encode()).hexdigest()
    assert chain_digest(snapshot, None) == expected_first
    assert chain_digest(snapshot, "") == expected_first
    assert chain_digest(snapshot, GENESIS_DIGEST) == expected_first
    expected_next = hashlib.sha256(f'{"f" * 64}\n{{"a":1,"b":0.3}}'.encode()).hexdigest()
    assert chain_digest(snapshot, "f" * 64) == expected_next


def test_digest_survives_a_round_trip_through_json_text():
    snapshot = {"gap": 2 / 3, "mean": 4.0, "names": ("A", "B")}
    reloaded = json.loads(json.dumps({"gap": 0.666667, "mean": 4, "names": ["A", "B"]}))
    assert chain_digest(reloaded, None) == chain_digest(snapshot, None)


def test_snapshot_of_a_decision_is_plain_json():
    team = team_from_columns({GOALS: [4, 4, 3], DELIVERY: [4, 4, 4]})
    data = review(team, {GOALS: 4, DELIVERY: 4})
    thresholds = Thresholds()
    scores = score_review(data, thresholds)
    verdicts = evaluate_all(data, thresholds, [MUDDY, "controlling"])
    snapshot = build_snapshot(
        scores=scores,
        verdicts=verdicts,
        conflict="Goals kept changing",
        client_name="Acme ApS",
        decided_by="Lead Person",
        decided_at="2026-12-02T10:00:00+00:00",
        rationale="The team agreed, the client agreed.",
        outcomes={MUDDY: "confirmed", "controlling": "rejected"},
        participants=["Member A", "Member B", "Member C"],
        one_sided=False,
        waiver=None,
        thresholds=thresholds,
        catalogue_version=1,
    )
    assert json.loads(json.dumps(snapshot)) == snapshot  # tuples already lists
    assert snapshot["scores"] == scores_to_dict(scores)
    assert snapshot["verdicts"][0] == verdict_to_dict(verdicts[0])
    assert snapshot["verdicts"][0]["failed_conditions"] == []
    assert snapshot["verdicts"][1]["confirmable"] is False
    assert snapshot["scores"]["votes"][MUDDY] == 3
    assert snapshot["thresholds"]["vote_share"] == pytest.approx(2 / 3)
    # the same decision rebuilt gives the same digest
    assert chain_digest(snapshot, None) == chain_digest(json.loads(canonical_json(snapshot)), None)


def test_row_facts_text_is_exactly_canonical_json():
    from app.domain.record import RowFacts
    from app.domain.snapshot import canonical_json

    facts = RowFacts(
        sequence=7,
        review_id=3,
        client_id=2,
        decided_by_id=1,
        decided_at="2026-11-26T15:00:00+00:00",
        final_status="blacklisted",
        rationale='Ünïcode, "quotes" and \\u202e.',
        waiver="",
        one_sided=False,
        outcomes={"muddy": ("confirmed", 3), "controlling": ("not_confirmed", 1)},
    )
    plain = {
        "sequence": 7,
        "review_id": 3,
        "client_id": 2,
        "decided_by_id": 1,
        "decided_at": facts.decided_at,
        "final_status": "blacklisted",
        "rationale": facts.rationale,
        "waiver": "",
        "one_sided": False,
        "outcomes": {"controlling": ["not_confirmed", 1], "muddy": ["confirmed", 3]},
    }
    assert facts.canonical() == canonical_json(plain)
