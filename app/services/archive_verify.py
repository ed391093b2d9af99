"""Is the archive intact? Every record's seal, the chain, the rows it speaks for, and the
head kept outside the database.

From schema 2 a decision's seal is an HMAC-SHA-256, keyed outside the database, over the
previous seal, the row's own columns (who decided, which client and review, when, the
outcome, rationale, waiver, votes) and the record's exact text. Verification therefore
catches, without re-reading any JSON: a changed record, a decision moved to another
client or decider, a changed outcome or rationale, a removed, inserted or reordered
decision, and a record rewritten with a recomputed digest (nobody without the key can
recompute it). It also checks that each decided review is marked decided and has its
decision, that every decision has its audit event, that the answers a decision rested on
still have the digest it sealed, and, given the head file, that the newest decisions were
not removed.

What it cannot catch, stated plainly: a change made by someone who holds the key; the
removal of the newest decisions made after the head file was last written; audit events
other than the decisions' own. Decisions recorded before schema 2 keep their plain
SHA-256 chain (app/domain/snapshot.py), which a person with write access could recompute.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.domain.lifecycle import ReviewState
from app.domain.record import answers_digest, seal_matches
from app.domain.snapshot import ChainCheck, chain_digest
from app.extensions import db
from app.models import AuditEvent, ClientResponseRow, Decision, Review, TeamResponseRow
from app.services.records import archive_key, facts_of
from app.services.review_data import raw_answer_rows

BATCH_SIZE = 1000
_ANSWERS_DIGEST = re.compile(r'"answers_digest":"([0-9a-f]{64})"')


@dataclass(frozen=True)
class RecordCheck:
    ok: bool
    reason: str


@dataclass(frozen=True)
class Head:
    """The newest decision as `verify-archive --head` prints it: '<sequence> <digest>'."""

    sequence: int
    digest: str

    def __str__(self) -> str:
        return f"{self.sequence} {self.digest}"

    @classmethod
    def parse(cls, text: str) -> Head:
        sequence, digest = text.split()
        return cls(int(sequence), digest)


def _legacy_problem(decision: Decision, previous: str | None) -> str | None:
    """A schema-1 decision: plain SHA-256 over its snapshot, and its columns against it."""
    snapshot = decision.snapshot if isinstance(decision.snapshot, dict) else {}
    try:
        if chain_digest(snapshot, previous) != decision.digest:
            return "was changed after it was recorded: its digest no longer matches its snapshot"
    except ValueError:
        return "cannot be read"
    outcomes = {c.category_key: c.outcome for c in decision.categories}
    if decision.rationale != snapshot.get("rationale") or outcomes != (
        snapshot.get("outcomes") or {}
    ):
        return "was changed after it was recorded: its row no longer matches its snapshot"
    return None


def record_problem(decision: Decision, previous: str | None, key: bytes) -> str | None:
    """Why this decision does not verify against the seal before it, or None."""
    if (decision.previous_digest or None) != (previous or None):
        return "does not point at the decision before it: one was removed, inserted or reordered"
    if decision.record_text is None:
        return _legacy_problem(decision, previous)
    if not seal_matches(key, previous, facts_of(decision), decision.record_text, decision.digest):
        return (
            "was changed after it was recorded: its seal no longer matches its row and record "
            "(who decided, the client, the outcome, the rationale or the record itself)"
        )
    return None


def _batches(batch_size: int) -> Iterable[list[Decision]]:
    last = 0
    query = (
        select(Decision)
        .order_by(Decision.sequence)
        .limit(batch_size)
        .options(selectinload(Decision.categories))
    )
    while True:
        batch = list(db.session.scalars(query.where(Decision.sequence > last)))
        if not batch:
            return
        yield batch
        last = batch[-1].sequence
        _forget(batch)


def _review_problems(batch: list[Decision], forget: bool = False) -> dict[int, str]:
    """Per decision: its review is not marked decided, or its answers changed since."""
    ids = [d.review_id for d in batch]
    reviews = {
        r.id: r
        for r in db.session.scalars(
            select(Review)
            .where(Review.id.in_(ids))
            .options(
                selectinload(Review.responses).selectinload(TeamResponseRow.answers),
                selectinload(Review.responses).selectinload(TeamResponseRow.choices),
            )
        )
    }
    clients = {
        c.review_id: c
        for c in db.session.scalars(
            select(ClientResponseRow)
            .where(ClientResponseRow.review_id.in_(ids))
            .options(selectinload(ClientResponseRow.answers))
        )
    }
    problems = _answer_problems(batch, reviews, clients)
    if forget:
        _forget(list(reviews.values()) + list(clients.values()))
    return problems


def _forget(objects: list) -> None:
    """Keep memory flat over 100,000 decisions: drop what one batch loaded."""
    for obj in objects:
        for child in (
            getattr(obj, "categories", None) or getattr(obj, "responses", None) or []
        ):
            for grandchild in [*getattr(child, "answers", ()), *getattr(child, "choices", ())]:
                if grandchild in db.session:
                    db.session.expunge(grandchild)
            if child in db.session:
                db.session.expunge(child)
        for answer in getattr(obj, "answers", None) or []:
            if answer in db.session:
                db.session.expunge(answer)
        if obj in db.session:
            db.session.expunge(obj)


def _answer_problems(batch, reviews, clients) -> dict[int, str]:
    problems: dict[int, str] = {}
    for decision in batch:
        review = reviews.get(decision.review_id)
        if review is None or review.state != ReviewState.DECIDED:
            problems[decision.id] = "belongs to a review that is no longer marked decided"
            continue
        if decision.record_text is None:
            continue
        sealed = _ANSWERS_DIGEST.search(decision.record_text)
        current = answers_digest(raw_answer_rows(review, clients.get(review.id)))
        if sealed is None or sealed.group(1) != current:
            problems[decision.id] = (
                "rested on answers that were changed afterwards: the answer rows no longer "
                "have the digest the record sealed"
            )
    return problems


def verify_archive(batch_size: int = BATCH_SIZE, head: Head | None = None) -> ChainCheck:
    """Check every decision in order and the archive around them; report the first problem."""
    key = archive_key()
    previous: str | None = None
    checked = 0
    newest: Decision | None = None
    audited = _audited_reviews()
    for batch in _batches(batch_size):
        review_problems = _review_problems(batch, forget=True)
        for decision in batch:
            checked += 1
            problem = record_problem(decision, previous, key) or review_problems.get(decision.id)
            if problem is None and decision.review_id not in audited:
                problem = "has no audit event: the audit log was changed"
            if problem:
                return _broken(checked, decision.sequence, problem)
            previous = decision.digest
            newest = decision
    missing = _decided_reviews_without_decision()
    if missing:
        return ChainCheck(
            False,
            checked,
            None,
            f"Review {missing} is marked decided but its decision is missing from the archive.",
        )
    if head is not None:
        problem = _head_problem(head, newest)
        if problem:
            return ChainCheck(False, checked, head.sequence, problem)
    if checked == 0:
        return ChainCheck(True, 0, None, "There are no decisions to verify.")
    return ChainCheck(
        True, checked, None, f"All {checked} decisions verified: the chain is intact."
    )


def _broken(checked: int, sequence: int, problem: str) -> ChainCheck:
    return ChainCheck(False, checked, sequence, f"Decision {sequence} {problem}.")


def _head_problem(head: Head, newest: Decision | None) -> str | None:
    if newest is None or newest.sequence < head.sequence:
        return (
            f"The archive ends before decision {head.sequence}, which the head file recorded: "
            "the newest decisions were removed."
        )
    sealed = db.session.scalar(select(Decision.digest).where(Decision.sequence == head.sequence))
    if sealed != head.digest:
        return f"Decision {head.sequence} is not the one the head file recorded: it was replaced."
    return None


def current_head() -> Head | None:
    last = db.session.execute(
        select(Decision.sequence, Decision.digest).order_by(Decision.sequence.desc()).limit(1)
    ).first()
    return None if last is None else Head(last.sequence, last.digest)


def read_head(path: str) -> Head | None:
    """The head file's content; None when it does not exist yet (the first run)."""
    file = Path(path)
    if not file.exists():
        return None
    return Head.parse(file.read_text())


def _audited_reviews() -> set[int]:
    rows = db.session.execute(
        select(AuditEvent.object_id, AuditEvent.details).where(
            AuditEvent.action == "review.decided"
        )
    )
    audited = set()
    for review_id, details in rows:
        try:
            if json.loads(details or "{}").get("decision_id") is not None:
                audited.add(review_id)
        except ValueError:
            continue
    return audited


def _decided_reviews_without_decision() -> int | None:
    return db.session.scalar(
        select(Review.id)
        .where(Review.state == ReviewState.DECIDED)
        .where(~select(Decision.id).where(Decision.review_id == Review.id).exists())
        .order_by(Review.id)
        .limit(1)
    )


def verify_one(decision: Decision) -> RecordCheck:
    """Does this record verify: its seal against the one before, and the one after it?"""
    previous = None
    if decision.sequence > 1:
        previous = db.session.scalar(
            select(Decision.digest).where(Decision.sequence == decision.sequence - 1)
        )
        if previous is None:
            return RecordCheck(
                False, f"The decision before it (number {decision.sequence - 1}) is missing."
            )
    problem = record_problem(decision, previous, archive_key())
    if problem is None:
        problem = _review_problems([decision]).get(decision.id)
    if problem:
        return RecordCheck(False, f"Decision {decision.sequence} {problem}.")
    following = db.session.scalar(
        select(Decision.previous_digest).where(Decision.sequence == decision.sequence + 1)
    )
    if following is not None and following != decision.digest:
        return RecordCheck(
            False,
            f"Decision {decision.sequence + 1} does not point at this record: "
            "one of the two was changed after it was recorded.",
        )
    return RecordCheck(True, "This record verifies: its seal matches its row, record and chain.")
