"""The incident log's, handling's and offboarding kit's pure rules."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from app.domain.handling import (
    NEED_ANSWERS,
    PAYMENT_REMINDER,
    REASON_STATEMENT,
    WORK_PAUSED,
    drafts_for,
    next_steps,
)
from app.domain.incidents import AMOUNT_MAX_MINOR, EntryInput, entries_digest, entry_problems
from app.domain.offboarding import KitState, completion_problems, handover_allowed, progress

TODAY = date(2026, 11, 26)


def _problems(**overrides):
    values = {"kind": "other", "occurred_on": TODAY, "text": "Something happened."}
    values.update(overrides)
    return entry_problems(EntryInput(**values), TODAY, ("muddy",))


def test_a_plain_entry_has_no_problems():
    assert _problems() == []


@given(st.integers())
def test_an_amount_is_accepted_exactly_within_its_range(amount):
    codes = [code for _, code in _problems(kind="late_payment", amount_minor=amount)]
    assert ("incident_amount_out_of_range" in codes) == (not 0 < amount <= AMOUNT_MAX_MINOR)


@given(st.dates())
def test_a_date_is_accepted_exactly_from_2000_to_today(day):
    codes = [code for _, code in _problems(occurred_on=day)]
    assert (codes == []) == (date(2000, 1, 1) <= day <= TODAY)


def test_a_currency_must_be_letters():
    assert ("currency", "incident_currency_invalid") in _problems(currency="€<b>")
    assert _problems(currency="EUR") == []


def test_entries_digest_ignores_order_but_not_content():
    a = {"id": 1, "text": "a"}
    b = {"id": 2, "text": "b"}
    assert entries_digest([a, b]) == entries_digest([b, a])
    assert entries_digest([a, b]) != entries_digest([a, {"id": 2, "text": "B"}])


def test_drafts_follow_the_categories():
    assert drafts_for(["non_responsive"]) == (NEED_ANSWERS,)
    assert drafts_for(["pay_eventually", "eternal_debtor"]) == (PAYMENT_REMINDER, WORK_PAUSED)
    assert drafts_for(["controlling"]) == ()


def test_next_steps_end_in_the_reason_statement_and_the_kit():
    steps = next_steps(["pay_eventually"])
    assert [s.draft_key for s in steps if s.code == "draft"] == [
        PAYMENT_REMINDER,
        WORK_PAUSED,
        REASON_STATEMENT,
    ]
    assert steps[-1].code == "offboarding"
    assert next_steps([]) == ()


@given(st.one_of(st.none(), st.booleans()), st.text(max_size=5))
def test_handover_is_open_only_when_paid_or_explained(current, reason):
    assert handover_allowed(current, reason) == (current is True or bool(reason.strip()))


def _kit(**overrides):
    values = {
        "payments_current": True,
        "override_reason": "",
        "account_states": ("handed_over",),
        "report_text": "Report",
        "reason_statement": "Reason",
        "final_status": "ended",
        "completed": False,
    }
    values.update(overrides)
    return KitState(**values)


def test_a_complete_kit_has_no_problems_and_counts_every_step():
    assert completion_problems(_kit()) == []
    assert progress(_kit()) == (5, 6)
    assert progress(_kit(completed=True)) == (6, 6)


def test_each_missing_step_is_named():
    assert completion_problems(_kit(account_states=("pending",))) == ["kit_accounts_pending"]
    assert completion_problems(_kit(payments_current=None)) == ["kit_payments_unrecorded"]
    assert completion_problems(_kit(report_text=" ")) == ["kit_report_missing"]
    assert completion_problems(_kit(reason_statement="")) == ["kit_reason_missing"]
    assert completion_problems(_kit(final_status=None)) == ["kit_final_status_missing"]
    assert completion_problems(_kit(completed=True)) == ["kit_already_completed"]
