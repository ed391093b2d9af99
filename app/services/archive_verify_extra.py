"""The parts of the archive check that issue 17 added: the incident-log entries a
decision sealed, and the offboarding kits' closing records that share the chain with
decisions (app/services/records.py: append_to_chain).

Kept apart from app/services/archive_verify.py, which calls these, so that module stays
about decisions.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable

from sqlalchemy import select

from app.domain.incidents import entries_digest
from app.domain.record import seal_matches
from app.models import ClosingRecord, IncidentEntry, ReviewIncident
from app.services.archive_answers import read_rows as _read
from app.services.archive_problems import Problem
from app.services.incidents import as_sealed  # the one shape, shared with sealing
from app.services.records import closing_facts

_INCIDENTS_DIGEST = re.compile(r'"incidents_digest":"([0-9a-f]{64})"')


def incident_problems(batch: Iterable) -> dict[int, Problem]:
    """Per decision: the entries attached to its review no longer have the digest its
    record sealed (an entry was changed, or an attachment added or removed), or entries
    are attached to a review whose record sealed none. `batch` holds rows with id,
    review_id and record_text."""
    batch = [d for d in batch if d.record_text is not None]
    if not batch:
        return {}
    rows = _read(
        select(
            ReviewIncident.review_id,
            IncidentEntry.id,
            IncidentEntry.occurred_on,
            IncidentEntry.recorded_at,
            IncidentEntry.kind,
            IncidentEntry.text,
            IncidentEntry.category_key,
            IncidentEntry.amount_minor,
            IncidentEntry.currency,
            IncidentEntry.invoice_ref,
            IncidentEntry.corrects_id,
        )
        .join(IncidentEntry, IncidentEntry.id == ReviewIncident.entry_id)
        .where(ReviewIncident.review_id.in_([d.review_id for d in batch]))
    ).all()
    stored: dict[int, list[dict]] = {}
    for row in rows:
        stored.setdefault(row.review_id, []).append(as_sealed(row))
    problems = {}
    for decision in batch:
        sealed = _INCIDENTS_DIGEST.search(decision.record_text)
        entries = stored.get(decision.review_id, [])
        if sealed is None:
            if entries:
                problems[decision.id] = Problem.INCIDENTS_ADDED
            continue
        if entries_digest(entries) != sealed.group(1):
            problems[decision.id] = Problem.INCIDENTS_CHANGED
    return problems


def closing_problem(row, previous: str | None, key: bytes) -> str | None:
    if (row.previous_digest or None) != (previous or None):
        return "does not point at the record before it: one was removed, inserted or reordered"
    if not seal_matches(key, previous, closing_facts(row), row.record_text, row.digest):
        return (
            "was changed after it was recorded: its seal no longer matches its row and "
            "closing report"
        )
    return None


class ClosingRecords:
    """The closing records in sequence order, checked as the decisions' walk passes them.
    They are few (one per offboarded client), so they are read once, up front."""

    def __init__(self) -> None:
        self._pending = deque(
            _read(
                select(
                    ClosingRecord.sequence,
                    ClosingRecord.kit_id,
                    ClosingRecord.client_id,
                    ClosingRecord.sealed_by_id,
                    ClosingRecord.sealed_at,
                    ClosingRecord.record_text,
                    ClosingRecord.previous_digest,
                    ClosingRecord.digest,
                ).order_by(ClosingRecord.sequence)
            ).all()
        )
        self.checked = 0

    def check_until(
        self, sequence: int | None, previous: str | None, key: bytes
    ) -> tuple[str | None, tuple[int, str] | None, object]:
        """Check every closing record before `sequence` (all that remain when None).
        Returns (the newest seal, (its sequence, the problem) or None, the newest row)."""
        newest = None
        while self._pending and (sequence is None or self._pending[0].sequence < sequence):
            row = self._pending.popleft()
            self.checked += 1
            problem = closing_problem(row, previous, key)
            if problem:
                return previous, (row.sequence, problem), newest
            previous = row.digest
            newest = row
        return previous, None, newest
