"""Is the archive intact? The hash chain, and each row against its own sealed snapshot.

The digest covers the snapshot only. A row's own columns (rationale, one-sided,
final status, waiver, its category outcomes and votes, when it was decided, which
review and client it belongs to) are copies the archive filters on, so each is checked
against what the snapshot says: an SQL UPDATE of `decisions.rationale` breaks the
record just as an UPDATE of `decisions.snapshot` does.

Limits, stated plainly: a chain without an outside anchor cannot notice that its
newest decisions were removed, or that someone rewrote the last record and its
digest together. The check below also compares decisions with reviews marked
decided, which catches a removed decision unless its review was changed as well.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Text, cast, select
from sqlalchemy.orm import defer, selectinload

from app.domain.lifecycle import ReviewState
from app.domain.snapshot import ChainCheck, verify_chain
from app.extensions import db
from app.models import Decision, Review

BATCH_SIZE = 1000


@dataclass(frozen=True)
class RecordCheck:
    ok: bool
    reason: str


def _parse_time(value) -> datetime | None:
    try:
        return datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def row_mismatch(
    decision: Decision, snapshot: object, review_client_id: int | None = None
) -> str | None:
    """What in the row no longer says what its snapshot says, or None."""
    snap = snapshot if isinstance(snapshot, dict) else {}
    outcomes = {c.category_key: c.outcome for c in decision.categories}
    votes = {c.category_key: c.votes for c in decision.categories}
    sealed_votes = (snap.get("scores") or {}).get("votes") or {}
    sealed_outcomes = snap.get("outcomes") or {}
    checks = (
        ("rationale", decision.rationale == snap.get("rationale")),
        ("one-sided mark", decision.one_sided == snap.get("one_sided")),
        ("final status", decision.final_status == snap.get("final_status")),
        ("waiver reason", (decision.waiver_reason or "") == (snap.get("waiver") or "")),
        ("category outcomes", outcomes == sealed_outcomes),
        ("category votes", all(votes[k] == sealed_votes.get(k, 0) for k in votes)),
        (
            "confirmed mark",
            decision.any_confirmed == any(o == "confirmed" for o in sealed_outcomes.values()),
        ),
        ("decision time", decision.decided_at == _parse_time(snap.get("decided_at"))),
        ("review", decision.review_id == snap.get("review_id")),
        ("client", review_client_id is None or decision.client_id == review_client_id),
    )
    changed = [name for name, same in checks if not same]
    if not changed:
        return None
    return (
        f"Decision {decision.sequence} was changed after it was recorded: its stored "
        f"{', '.join(changed)} no longer match{'es' if len(changed) == 1 else ''} "
        "its sealed snapshot."
    )


def _parse(text: str | None) -> object:
    """The stored snapshot; text that is no longer JSON (possible in SQLite) stays text,
    which then fails its digest like any other change."""
    try:
        return json.loads(text) if text is not None else None
    except ValueError:
        return {"unreadable": text}


def _batches(batch_size: int) -> Iterable[list[tuple[Decision, object, int | None]]]:
    """(decision, snapshot, its review's client id) in ascending sequence, keyset-paged.

    The snapshot is read as text and parsed here, so one damaged record is reported
    as broken instead of stopping the check."""
    last = 0
    query = (
        select(Decision, cast(Decision.snapshot, Text), Review.client_id)
        .outerjoin(Review, Review.id == Decision.review_id)
        .order_by(Decision.sequence)
        .limit(batch_size)
        .options(defer(Decision.snapshot), selectinload(Decision.categories))
    )
    while True:
        batch = db.session.execute(query.where(Decision.sequence > last)).all()
        if not batch:
            return
        yield [(decision, _parse(text), client_id) for decision, text, client_id in batch]
        last = batch[-1][0].sequence
        for decision, _, _ in batch:  # keep memory flat over 100,000 decisions
            for category in decision.categories:
                db.session.expunge(category)
            db.session.expunge(decision)


def verify_archive(batch_size: int = BATCH_SIZE) -> ChainCheck:
    """Recompute the whole chain and check every row; report the first broken decision."""
    previous: str | None = None
    checked = 0
    for batch in _batches(batch_size):
        records = [(d.sequence, snap, d.previous_digest, d.digest) for d, snap, _ in batch]
        chain = verify_chain(records, expected_first_previous=previous)
        for index, (decision, snapshot, client_id) in enumerate(batch, start=1):
            if not chain.ok and chain.first_broken_sequence == decision.sequence:
                return ChainCheck(False, checked + index, decision.sequence, chain.reason)
            mismatch = row_mismatch(decision, snapshot, client_id)
            if mismatch:
                return ChainCheck(False, checked + index, decision.sequence, mismatch)
        checked += len(batch)
        previous = batch[-1][0].digest
    missing = _decided_reviews_without_decision()
    if missing:
        return ChainCheck(
            False,
            checked,
            None,
            f"Review {missing} is marked decided but its decision is missing from the archive.",
        )
    if checked == 0:
        return ChainCheck(True, 0, None, "There are no decisions to verify.")
    return ChainCheck(
        True, checked, None, f"All {checked} decisions verified: the chain is intact."
    )


def _decided_reviews_without_decision() -> int | None:
    return db.session.scalar(
        select(Review.id)
        .where(Review.state == ReviewState.DECIDED)
        .where(~select(Decision.id).where(Decision.review_id == Review.id).exists())
        .order_by(Review.id)
        .limit(1)
    )


def verify_one(decision: Decision) -> RecordCheck:
    """Does this record verify: its digest, its links to both neighbours, and its columns?"""
    previous_digest = None
    if decision.sequence > 1:
        previous_digest = db.session.scalar(
            select(Decision.digest).where(Decision.sequence == decision.sequence - 1)
        )
        if previous_digest is None:
            return RecordCheck(
                False, f"The decision before it (number {decision.sequence - 1}) is missing."
            )
    record = (decision.sequence, decision.snapshot, decision.previous_digest, decision.digest)
    chain = verify_chain([record], expected_first_previous=previous_digest)
    if not chain.ok:
        return RecordCheck(False, chain.reason)
    client_id = db.session.scalar(select(Review.client_id).where(Review.id == decision.review_id))
    mismatch = row_mismatch(decision, decision.snapshot, client_id)
    if mismatch:
        return RecordCheck(False, mismatch)
    following = db.session.scalar(
        select(Decision.previous_digest).where(Decision.sequence == decision.sequence + 1)
    )
    if following is not None and following != decision.digest:
        return RecordCheck(
            False,
            f"Decision {decision.sequence + 1} does not point at this record: "
            "one of the two was changed after it was recorded.",
        )
    return RecordCheck(True, "This record verifies: its digest matches its snapshot and chain.")
