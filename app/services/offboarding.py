"""The offboarding kit: opened by a lead for a client, worked through step by step (each
step audited, with who did it and when), and completed by sealing the closing report and
the checklist into the archive chain beside the decisions.

Every change locks the kit row first and refuses once the kit is completed: what was
sealed is what the archive keeps.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.domain.offboarding import (
    ACCOUNTS_MAX,
    FINAL_STATUSES,
    NAME_MAX,
    OVERRIDE_MAX,
    PLATFORM_MAX,
    REASON_MAX,
    REPORT_MAX,
    KitState,
    build_closing_record,
    completion_problems,
    handover_allowed,
    progress,
    read_closing_record,
)
from app.domain.record import record_text
from app.extensions import db
from app.models import ClosingRecord, Decision, ManagedAccount, OffboardingKit, User
from app.services import audit
from app.services._tx import transaction
from app.services.clients import find_client
from app.services.errors import ConcurrentChange, InvalidInput, NotFound
from app.services.incidents import corrected_ids, entries_visible_to_lead
from app.services.records import append_to_chain, closing_facts


def kit_of(client_id: int) -> OffboardingKit | None:
    return db.session.scalar(select(OffboardingKit).where(OffboardingKit.client_id == client_id))


def _locked_kit(client_id: int) -> OffboardingKit:
    kit = db.session.scalar(
        select(OffboardingKit).where(OffboardingKit.client_id == client_id).with_for_update()
    )
    if kit is None:
        raise NotFound("This client has no offboarding kit.")
    if kit.completed_at is not None:
        raise InvalidInput("The kit is completed.", None, code="kit_already_completed")
    return kit


def _text(value: str, limit: int, field: str, code: str) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise InvalidInput(code, field, code=code, limit=limit)
    return value


def open_kit(client_id: int, lead: User, now: datetime) -> OffboardingKit:
    """Open the client's kit, linked to its latest decision when there is one."""
    with transaction():
        find_client(client_id)
        if kit_of(client_id) is not None:
            raise InvalidInput("The kit is already open.", None, code="kit_exists")
        decision_id = db.session.scalar(
            select(Decision.id)
            .where(Decision.client_id == client_id)
            .order_by(Decision.decided_at.desc(), Decision.id.desc())
            .limit(1)
        )
        kit = OffboardingKit(
            client_id=client_id, decision_id=decision_id, opened_by_id=lead.id, opened_at=now
        )
        db.session.add(kit)
        db.session.flush()
        audit.record("offboarding.opened", "offboarding_kit", kit.id, lead, client_id=client_id)
    return kit


def add_account(client_id: int, lead: User, name: str, platform: str) -> ManagedAccount:
    name = _text(name, NAME_MAX, "name", "kit_account_name_too_long")
    platform = _text(platform, PLATFORM_MAX, "platform", "kit_platform_too_long")
    if not name or not platform:
        raise InvalidInput("Name and platform are needed.", "name", code="kit_account_missing")
    with transaction():
        kit = _locked_kit(client_id)
        if len(kit.accounts) >= ACCOUNTS_MAX:
            raise InvalidInput("Too many accounts.", "name", code="kit_too_many_accounts")
        account = ManagedAccount(kit_id=kit.id, name=name, platform=platform)
        db.session.add(account)
        db.session.flush()
        audit.record(
            "offboarding.account_added", "offboarding_kit", kit.id, lead, account_id=account.id
        )
    return account


def hand_over(client_id: int, account_id: int, lead: User, now: datetime) -> None:
    """Tick an account as handed over: only once payments are recorded as current, or a
    reason to hand over anyway is recorded."""
    with transaction():
        kit = _locked_kit(client_id)
        account = next((a for a in kit.accounts if a.id == account_id), None)
        if account is None:
            raise NotFound("No such account in this kit.")
        if not handover_allowed(kit.payments_current, kit.payments_override):
            raise InvalidInput(
                "Payments are not recorded as current.", None, code="kit_payments_not_current"
            )
        if account.state == "handed_over":
            return  # a double submit changes nothing
        account.state, account.done_by_id, account.done_at = "handed_over", lead.id, now
        audit.record(
            "offboarding.account_handed_over",
            "offboarding_kit",
            kit.id,
            lead,
            account_id=account.id,
        )


def record_payments(
    client_id: int, lead: User, current: bool, override: str, now: datetime
) -> None:
    override = _text(override, OVERRIDE_MAX, "override", "kit_override_too_long")
    with transaction():
        kit = _locked_kit(client_id)
        kit.payments_current, kit.payments_override = current, override
        kit.payments_by_id, kit.payments_at = lead.id, now
        audit.record(
            "offboarding.payments_recorded",
            "offboarding_kit",
            kit.id,
            lead,
            current=current,
            override=bool(override),
        )


def save_report(client_id: int, lead: User, work_done: str, report: str, now: datetime) -> None:
    work_done = _text(work_done, REPORT_MAX, "work_done", "kit_text_too_long")
    report = _text(report, REPORT_MAX, "report", "kit_text_too_long")
    with transaction():
        kit = _locked_kit(client_id)
        kit.work_done, kit.report_text = work_done, report
        kit.report_by_id, kit.report_at = lead.id, now
        audit.record("offboarding.report_saved", "offboarding_kit", kit.id, lead)


def save_reason(client_id: int, lead: User, reason: str, now: datetime) -> None:
    reason = _text(reason, REASON_MAX, "reason", "kit_text_too_long")
    with transaction():
        kit = _locked_kit(client_id)
        kit.reason_statement, kit.reason_by_id, kit.reason_at = reason, lead.id, now
        audit.record("offboarding.reason_saved", "offboarding_kit", kit.id, lead)


def set_final_status(client_id: int, lead: User, status: str, now: datetime) -> None:
    if status not in FINAL_STATUSES:
        raise InvalidInput("Unknown final status.", "final_status", code="kit_status_unknown")
    with transaction():
        kit = _locked_kit(client_id)
        kit.final_status, kit.status_by_id, kit.status_at = status, lead.id, now
        audit.record("offboarding.status_set", "offboarding_kit", kit.id, lead, status=status)


def state_of(kit: OffboardingKit) -> KitState:
    return KitState(
        payments_current=kit.payments_current,
        override_reason=kit.payments_override or "",
        account_states=tuple(a.state for a in kit.accounts),
        report_text=kit.report_text or "",
        reason_statement=kit.reason_statement or "",
        final_status=kit.final_status,
        completed=kit.completed_at is not None,
    )


def complete_kit(client_id: int, lead: User, now: datetime) -> ClosingRecord:
    # Racing another append for the chain's next sequence number: retry on top of it.
    for attempt in range(3):
        try:
            return _complete_once(client_id, lead, now)
        except IntegrityError:
            db.session.rollback()
            if attempt == 2:
                raise ConcurrentChange() from None
    raise ConcurrentChange()


def _complete_once(client_id: int, lead: User, now: datetime) -> ClosingRecord:
    with transaction():
        kit = _locked_kit(client_id)
        problems = completion_problems(state_of(kit))
        if problems:
            raise InvalidInput(problems[0], None, code=problems[0], problems=problems)
        record = build_closing_record(
            kit_id=kit.id,
            client={"id": kit.client_id, "name": kit.client.name},
            sealed_by={"id": lead.id, "name": lead.name},
            sealed_at=now.isoformat(),
            report_text=kit.report_text,
            reason_statement=kit.reason_statement,
            final_status=kit.final_status,
            payments={
                "current": kit.payments_current,
                "override": kit.payments_override,
                "by": kit.payments_by.name if kit.payments_by else None,
                "at": kit.payments_at.isoformat() if kit.payments_at else None,
            },
            accounts=[
                {
                    "name": a.name,
                    "platform": a.platform,
                    "state": a.state,
                    "by": a.done_by.name if a.done_by else None,
                    "at": a.done_at.isoformat() if a.done_at else None,
                }
                for a in kit.accounts
            ],
            decision_id=kit.decision_id,
        )
        text = record_text(record)
        closing = ClosingRecord(
            kit_id=kit.id,
            client_id=kit.client_id,
            sealed_by_id=lead.id,
            sealed_at=now,
            record_text=text,
        )
        append_to_chain(closing, closing_facts, text)
        kit.completed_at, kit.completed_by_id = now, lead.id
        audit.record(
            "offboarding.completed",
            "offboarding_kit",
            kit.id,
            lead,
            closing_id=closing.id,
            sequence=closing.sequence,
        )
    return closing


def closing_record_of(kit: OffboardingKit) -> ClosingRecord | None:
    return db.session.scalar(select(ClosingRecord).where(ClosingRecord.kit_id == kit.id))


def sealed_report(closing: ClosingRecord) -> dict:
    return read_closing_record(closing.record_text)


@dataclass(frozen=True)
class ReportFacts:
    """What Candor knows for the closing report's draft; the web layer words it."""

    started_on: date
    ended_on: date
    work_done: str
    problems: list  # IncidentEntry rows, oldest first, corrections in place of originals
    confirmed: tuple[str, ...]
    catalogue_names: dict


def report_facts(kit: OffboardingKit, today: date) -> ReportFacts:
    entries = entries_visible_to_lead(kit.client_id)
    replaced = corrected_ids(entries)
    problems = [e for e in entries if e.id not in replaced and e.kind != "message_sent"]
    confirmed: tuple[str, ...] = ()
    names: dict = {}
    if kit.decision_id is not None:
        decision = db.session.get(Decision, kit.decision_id)
        confirmed = tuple(
            sorted(c.category_key for c in decision.categories if c.outcome == "confirmed")
        )
        record = decision.record
        names = {c["key"]: c["name"] for c in (record.get("catalogue") or {}).get("categories", [])}
    return ReportFacts(
        started_on=kit.client.created_at.date(),
        ended_on=today,
        work_done=kit.work_done or "",
        problems=sorted(problems, key=lambda e: (e.occurred_on, e.id)),
        confirmed=confirmed,
        catalogue_names=names,
    )


def progress_of(kit: OffboardingKit) -> tuple[int, int]:
    return progress(state_of(kit))
