"""The offboarding kit: handover gated on payments (or a written reason), completion only
when every step is done, and the sealed closing record in the same archive chain as
decisions, checked by the same verification. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import delete, text
from sqlalchemy.exc import DBAPIError

from app.domain.incidents import EntryInput
from app.extensions import db
from app.models import ClosingRecord, OffboardingKit, utcnow
from app.services import incidents, offboarding
from app.services.archive_verify import current_head, verify_archive, verify_one
from app.services.errors import InvalidInput, NotFound
from tests.archive_factory import at, decide, tamper


@pytest.fixture
def setting(make_user, make_client):
    lead = make_user("lead", name="Lena Lead")
    team = [make_user("member") for _ in range(3)]
    client = make_client("Acme", actor=lead)
    decision = decide(
        lead,
        team,
        client,
        when=at("2026-03-15"),
        outcomes={"eternal_debtor": "confirmed"},
        rationale="Debt keeps growing.",
    )
    return lead, team, client, decision


def _ready_kit(client, lead, payments_current=True, override=""):
    now = utcnow()
    offboarding.open_kit(client.id, lead, now)
    account = offboarding.add_account(client.id, lead, "Acme page", "Facebook")
    offboarding.record_payments(client.id, lead, payments_current, override, now)
    offboarding.hand_over(client.id, account.id, lead, now)
    offboarding.save_report(client.id, lead, "Two campaigns.", "The report.", now)
    offboarding.save_reason(client.id, lead, "We cannot meet your needs because ...", now)
    offboarding.set_final_status(client.id, lead, "ended_unpaid", now)
    return account


def test_the_kit_links_the_latest_decision_and_opens_once(setting):
    lead, team, client, decision = setting
    kit = offboarding.open_kit(client.id, lead, utcnow())
    assert kit.decision_id == decision.id
    with pytest.raises(InvalidInput) as refused:
        offboarding.open_kit(client.id, lead, utcnow())
    assert refused.value.code == "kit_exists"


def test_handover_waits_for_payments_or_a_reason(setting):
    lead, team, client, decision = setting
    offboarding.open_kit(client.id, lead, utcnow())
    account = offboarding.add_account(client.id, lead, "Ads", "Google Ads")
    with pytest.raises(InvalidInput) as refused:
        offboarding.hand_over(client.id, account.id, lead, utcnow())
    assert refused.value.code == "kit_payments_not_current"
    offboarding.record_payments(client.id, lead, False, "", utcnow())
    with pytest.raises(InvalidInput):
        offboarding.hand_over(client.id, account.id, lead, utcnow())
    offboarding.record_payments(client.id, lead, False, "The client owns the ad account.", utcnow())
    offboarding.hand_over(client.id, account.id, lead, utcnow())
    db.session.expire_all()
    kit = offboarding.kit_of(client.id)
    assert kit.accounts[0].state == "handed_over" and kit.accounts[0].done_by_id == lead.id


def test_an_account_of_another_kit_is_not_found(setting, make_client):
    lead, team, client, decision = setting
    other = make_client("Other", actor=lead)
    offboarding.open_kit(client.id, lead, utcnow())
    offboarding.open_kit(other.id, lead, utcnow())
    foreign = offboarding.add_account(other.id, lead, "Site", "Hosting")
    offboarding.record_payments(client.id, lead, True, "", utcnow())
    with pytest.raises(NotFound):
        offboarding.hand_over(client.id, foreign.id, lead, utcnow())


def test_completion_needs_every_step(setting):
    lead, team, client, decision = setting
    offboarding.open_kit(client.id, lead, utcnow())
    with pytest.raises(InvalidInput) as refused:
        offboarding.complete_kit(client.id, lead, utcnow())
    assert set(refused.value.params["problems"]) == {
        "kit_payments_unrecorded",
        "kit_report_missing",
        "kit_reason_missing",
        "kit_final_status_missing",
    }


def test_completion_seals_the_report_into_the_decisions_chain(setting):
    lead, team, client, decision = setting
    incidents.record_entry(
        client.id, lead, EntryInput("other", date(2026, 3, 1), "Logged."), utcnow()
    )
    _ready_kit(client, lead)
    closing = offboarding.complete_kit(client.id, lead, utcnow())
    assert closing.sequence == decision.sequence + 1
    assert closing.previous_digest == decision.digest
    sealed = offboarding.sealed_report(closing)
    assert sealed["report"] == "The report." and sealed["final_status"] == "ended_unpaid"
    assert sealed["accounts"][0]["state"] == "handed_over"
    assert sealed["decision_id"] == decision.id
    result = verify_archive()
    assert result.ok and "1 closing reports" in result.reason
    assert current_head().sequence == closing.sequence
    # The next decision chains onto the closing record.
    later = decide(lead, team, client, when=at("2026-04-01"), rationale="Again.")
    assert later.sequence == closing.sequence + 1 and later.previous_digest == closing.digest
    assert verify_archive().ok and verify_one(later).ok and verify_one(decision).ok


def test_a_completed_kit_refuses_every_change(setting):
    lead, team, client, decision = setting
    account = _ready_kit(client, lead)
    offboarding.complete_kit(client.id, lead, utcnow())
    for step in (
        lambda: offboarding.save_report(client.id, lead, "", "Rewritten.", utcnow()),
        lambda: offboarding.save_reason(client.id, lead, "Other.", utcnow()),
        lambda: offboarding.hand_over(client.id, account.id, lead, utcnow()),
        lambda: offboarding.complete_kit(client.id, lead, utcnow()),
    ):
        with pytest.raises(InvalidInput) as refused:
            step()
        assert refused.value.code == "kit_already_completed"
    assert db.session.query(ClosingRecord).count() == 1


def test_closing_records_are_append_only(setting):
    lead, team, client, decision = setting
    _ready_kit(client, lead)
    offboarding.complete_kit(client.id, lead, utcnow())
    with pytest.raises(DBAPIError, match="closing_records are append-only"):
        db.session.execute(delete(ClosingRecord))
        db.session.flush()
    db.session.rollback()


def test_verification_notices_a_rewritten_closing_report(setting):
    lead, team, client, decision = setting
    _ready_kit(client, lead)
    closing = offboarding.complete_kit(client.id, lead, utcnow())
    tamper(
        "UPDATE closing_records SET record_text = replace(record_text, 'The report.', "
        "'A kinder report.') WHERE id = :id",
        id=closing.id,
    )
    result = verify_archive()
    assert not result.ok and result.first_broken_sequence == closing.sequence
    assert "Closing report" in result.reason


def test_verification_notices_a_removed_closing_record(setting):
    lead, team, client, decision = setting
    _ready_kit(client, lead)
    closing = offboarding.complete_kit(client.id, lead, utcnow())
    later = decide(lead, team, client, when=at("2026-04-01"), rationale="Again.")
    tamper("DELETE FROM closing_records WHERE id = :id", id=closing.id)
    result = verify_archive()
    assert not result.ok and result.first_broken_sequence == later.sequence


def test_the_kit_table_itself_is_not_sealed_but_the_closing_copy_is(setting):
    """The kit row stays a working copy; the sealed text is what the archive trusts."""
    lead, team, client, decision = setting
    _ready_kit(client, lead)
    offboarding.complete_kit(client.id, lead, utcnow())
    db.session.execute(text("UPDATE offboarding_kits SET report_text = 'Changed.'"))
    db.session.commit()
    kit = db.session.query(OffboardingKit).one()
    assert offboarding.sealed_report(offboarding.closing_record_of(kit))["report"] == "The report."
    assert verify_archive().ok
