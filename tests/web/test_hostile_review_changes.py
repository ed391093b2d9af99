"""Hostile input on the forms issue 14 added: cancelling and changing a review, and the
decision's confirmation (no 500, a refused post writes nothing)."""

from hypothesis import given
from hypothesis import strategies as st

from tests.web.test_hostile_input import FUZZ, _post, fuzz_world, hostile_text  # noqa: F401


@FUZZ
@given(reason=hostile_text)
def test_cancel_form(fuzz_world, reason):  # noqa: F811
    _post(fuzz_world["member"], f"/reviews/{fuzz_world['open']}/cancel", {"reason": reason})
    _post(fuzz_world["lead"], f"/reviews/{fuzz_world['closed']}/cancel", {"reason": reason})


@FUZZ
@given(participants=st.lists(hostile_text, max_size=5), quorum=hostile_text, deadline=hostile_text)
def test_change_form(fuzz_world, participants, quorum, deadline):  # noqa: F811
    _post(
        fuzz_world["lead"],
        f"/reviews/{fuzz_world['open']}/change",
        {"participants": participants, "quorum": quorum, "deadline": deadline},
    )


@FUZZ
@given(confirmed=hostile_text, rationale=hostile_text, outcome=hostile_text)
def test_decision_confirmation(fuzz_world, confirmed, rationale, outcome):  # noqa: F811
    _post(
        fuzz_world["lead"],
        f"/reviews/{fuzz_world['closed']}/decide",
        {
            "outcome__muddy": outcome,
            "rationale": rationale,
            "confirmed": confirmed,
            "confirm": "1",
        },
    )


@FUZZ
@given(evidence=hostile_text, confidence=hostile_text)
def test_answer_form_submit_with_orphan_evidence(fuzz_world, evidence, confidence):  # noqa: F811
    _post(
        fuzz_world["member"],
        f"/reviews/{fuzz_world['open']}/answer",
        {
            "evidence__muddy": evidence,
            "confidence__honesty": confidence,
            "submit": "1",
            "confirm_submit": "y",
        },
    )
