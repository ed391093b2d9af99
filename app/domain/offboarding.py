"""The offboarding kit's rules and its sealed closing record.

A kit is a checklist: every managed account handed over (only once payments are recorded
as current, or a reason to hand over anyway is given), the closing report, the reason
statement and the final status. Completing it seals the report's text and the checklist
into the same archive chain as decisions (app/domain/record.py's `seal`), with its own
row facts. Codes only, no sentences.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

CLOSING_SCHEMA = "closing-1"

ACCOUNT_STATES: tuple[str, ...] = ("pending", "handed_over")
FINAL_STATUSES: tuple[str, ...] = ("ended", "ended_on_good_terms", "ended_unpaid")
NAME_MAX = 200
PLATFORM_MAX = 100
REPORT_MAX = 20000
REASON_MAX = 5000
OVERRIDE_MAX = 2000
ACCOUNTS_MAX = 100


def handover_allowed(payments_current: bool | None, override_reason: str) -> bool:
    """Accounts are handed over when payments are recorded as current, or when the lead
    wrote why they are handed over anyway (the source documents' "if payments are
    current", with a documented exception)."""
    return payments_current is True or bool(override_reason.strip())


@dataclass(frozen=True)
class KitState:
    """What completion looks at, as plain values."""

    payments_current: bool | None
    override_reason: str
    account_states: Sequence[str]
    report_text: str
    reason_statement: str
    final_status: str | None
    completed: bool


def completion_problems(kit: KitState) -> list[str]:
    """The codes of everything still missing before the kit can be completed."""
    if kit.completed:
        return ["kit_already_completed"]
    problems = []
    if kit.payments_current is None and not kit.override_reason.strip():
        problems.append("kit_payments_unrecorded")
    if any(state != "handed_over" for state in kit.account_states):
        problems.append("kit_accounts_pending")
    if not kit.report_text.strip():
        problems.append("kit_report_missing")
    if not kit.reason_statement.strip():
        problems.append("kit_reason_missing")
    if kit.final_status not in FINAL_STATUSES:
        problems.append("kit_final_status_missing")
    return problems


def progress(kit: KitState) -> tuple[int, int]:
    """(steps done, steps in all): payments, each account, report, reason, final status."""
    done = int(kit.payments_current is not None or bool(kit.override_reason.strip()))
    done += sum(1 for s in kit.account_states if s == "handed_over")
    done += int(bool(kit.report_text.strip()))
    done += int(bool(kit.reason_statement.strip()))
    done += int(kit.final_status in FINAL_STATUSES)
    done += int(kit.completed)
    return done, 5 + len(kit.account_states)


@dataclass(frozen=True)
class ClosingFacts:
    """The closing row's own columns, bound into the seal beside the record text."""

    sequence: int
    kit_id: int
    client_id: int
    sealed_by_id: int
    sealed_at: str  # ISO 8601

    def canonical(self) -> str:
        return json.dumps(
            {
                "kind": CLOSING_SCHEMA,
                "sequence": self.sequence,
                "kit_id": self.kit_id,
                "client_id": self.client_id,
                "sealed_by_id": self.sealed_by_id,
                "sealed_at": self.sealed_at,
            },
            sort_keys=True,
            separators=(",", ":"),
            ensure_ascii=False,
        )


def build_closing_record(
    *,
    kit_id: int,
    client: Mapping[str, Any],
    sealed_by: Mapping[str, Any],
    sealed_at: str,
    report_text: str,
    reason_statement: str,
    final_status: str,
    payments: Mapping[str, Any],
    accounts: Sequence[Mapping[str, Any]],
    decision_id: int | None,
) -> dict[str, Any]:
    """The closing record as JSON-able data: the report and the whole checklist."""
    return {
        "schema": CLOSING_SCHEMA,
        "kit_id": kit_id,
        "client": dict(client),
        "sealed_by": dict(sealed_by),
        "sealed_at": sealed_at,
        "decision_id": decision_id,
        "report": report_text,
        "reason_statement": reason_statement,
        "final_status": final_status,
        "payments": dict(payments),
        "accounts": [dict(a) for a in accounts],
    }


def read_closing_record(text: str) -> dict[str, Any]:
    record = json.loads(text)
    if not isinstance(record, dict) or record.get("schema") != CLOSING_SCHEMA:
        raise ValueError("closing_record_expected")
    return record
