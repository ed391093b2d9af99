"""The client incident log's rules: which kinds exist, what an entry must hold, and the
form in which attached entries are sealed into a decision's record.

Pure data: problems come back as (field, code) pairs; the web layer words them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from app.domain.snapshot import canonical_json

# What members record. `message_sent` is written only when a lead marks a draft as sent.
RECORDABLE_KINDS: tuple[str, ...] = (
    "unanswered_question",
    "late_payment",
    "approval_delay",
    "out_of_scope",
    "out_of_hours",
    "contradictory_instructions",
    "other",
)
MESSAGE_SENT = "message_sent"
INCIDENT_KINDS: tuple[str, ...] = (*RECORDABLE_KINDS, MESSAGE_SENT)

TEXT_MAX = 5000
INVOICE_MAX = 100
CURRENCY_MAX = 3
# Amounts are whole minor units (cents, øre, fillér): no floats, no SQLite Decimal warnings.
# The ceiling (10 billion in major units) is far above any invoice and far below BIGINT.
AMOUNT_MAX_MINOR = 10**12
EARLIEST_DAY = date(2000, 1, 1)


@dataclass(frozen=True)
class EntryInput:
    """What a person types for one entry; `amount_minor` is in minor units."""

    kind: str
    occurred_on: date | None
    text: str
    category_key: str | None = None
    amount_minor: int | None = None
    currency: str = ""
    invoice_ref: str = ""


def entry_problems(
    given: EntryInput, today: date, category_keys: Iterable[str], kinds=RECORDABLE_KINDS
) -> list[tuple[str, str]]:
    """Every reason the entry cannot be recorded, as (field, code); empty when it can."""
    problems: list[tuple[str, str]] = []
    if given.kind not in kinds:
        problems.append(("kind", "incident_kind_unknown"))
    if given.occurred_on is None:
        problems.append(("occurred_on", "incident_date_missing"))
    elif given.occurred_on > today:
        problems.append(("occurred_on", "incident_date_future"))
    elif given.occurred_on < EARLIEST_DAY:
        problems.append(("occurred_on", "incident_date_too_old"))
    text = given.text.strip()
    if not text:
        problems.append(("text", "incident_text_missing"))
    elif len(text) > TEXT_MAX:
        problems.append(("text", "incident_text_too_long"))
    if given.category_key and given.category_key not in set(category_keys):
        problems.append(("category_key", "incident_category_unknown"))
    if given.amount_minor is not None and not 0 < given.amount_minor <= AMOUNT_MAX_MINOR:
        problems.append(("amount", "incident_amount_out_of_range"))
    if given.kind == "late_payment" and given.amount_minor is None:
        problems.append(("amount", "incident_amount_missing"))
    if len(given.invoice_ref) > INVOICE_MAX:
        problems.append(("invoice_ref", "incident_invoice_too_long"))
    if given.currency and (len(given.currency) > CURRENCY_MAX or not given.currency.isalpha()):
        problems.append(("currency", "incident_currency_invalid"))
    return problems


def sealed_entry(
    *,
    entry_id: int,
    occurred_on: str,
    recorded_at: str,
    kind: str,
    text: str,
    category_key: str | None,
    amount_minor: int | None,
    currency: str,
    invoice_ref: str,
    corrects_id: int | None,
) -> dict[str, Any]:
    """One attached entry as a decision's record holds it (and as verification re-reads it)."""
    return {
        "id": entry_id,
        "occurred_on": occurred_on,
        "recorded_at": recorded_at,
        "kind": kind,
        "text": text,
        "category": category_key,
        "amount_minor": amount_minor,
        "currency": currency,
        "invoice_ref": invoice_ref,
        "corrects": corrects_id,
    }


def entries_digest(entries: Iterable[Mapping[str, Any]]) -> str:
    """SHA-256 of the attached entries in id order, so a later change to any of them (or an
    attachment added after the decision) is noticed when the archive is verified."""
    ordered = sorted(entries, key=lambda e: e["id"])
    return hashlib.sha256(canonical_json(ordered).encode("utf-8")).hexdigest()
