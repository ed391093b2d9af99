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

The chain also holds the offboarding kits' closing records (app/models/offboarding.py),
appended through the same function as decisions (app/services/records.py) and checked in
sequence between them (app/services/archive_verify_extra.py); a decision's sealed
incident-log entries are compared with the attached rows as they are now.

What it cannot catch, stated plainly: a change made by someone who holds the key; the
removal of the newest decisions made after the head file was last written; audit events
other than the decisions' own. Decisions recorded before schema 2 keep their plain
SHA-256 chain (app/domain/snapshot.py), which a person with write access could recompute.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm.util import identity_key

from app.domain.lifecycle import ReviewState
from app.domain.record import seal_matches
from app.domain.snapshot import ChainCheck, chain_digest
from app.extensions import db
from app.models import (
    AuditEvent,
    CategoryDecision,
    Decision,
    Review,
)
from app.services.archive_answers import StoredAnswers
from app.services.archive_answers import read_rows as _read
from app.services.archive_problems import Problem, operator_sentence
from app.services.archive_verify_extra import ClosingRecords, incident_problems
from app.services.records import archive_key, chain_head, digest_at, facts_of, previous_digest_at
from app.services.review_data import answers_match

BATCH_SIZE = 1000
_ANSWERS_DIGEST = re.compile(r'"answers_digest":"([0-9a-f]{64})"')


@dataclass(frozen=True)
class RecordCheck:
    """One record's verification: `problem` says what is wrong (the page words it), and
    `sequence` which record of the chain it was found on."""

    ok: bool
    problem: Problem | None = None
    sequence: int | None = None

    @property
    def reason(self) -> str:
        """In English, for the JSON export; the page words `problem` in its reader's language."""
        if self.ok or self.problem is None:
            return "This record verifies: its seal matches its row, record and chain."
        return operator_sentence(self.sequence or 0, self.problem)


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


def _legacy_problem(decision: Decision, previous: str | None) -> Problem | None:
    """A schema-1 decision: plain SHA-256 over its snapshot, and its columns against it."""
    snapshot = decision.snapshot if isinstance(decision.snapshot, dict) else {}
    try:
        if chain_digest(snapshot, previous) != decision.digest:
            return Problem.LEGACY_DIGEST_BROKEN
    except ValueError:
        return Problem.UNREADABLE
    outcomes = {c.category_key: c.outcome for c in decision.categories}
    if decision.rationale != snapshot.get("rationale") or outcomes != (
        snapshot.get("outcomes") or {}
    ):
        return Problem.LEGACY_ROW_CHANGED
    return None


def record_problem(
    decision: Decision, previous: str | None, key: bytes, categories=None
) -> Problem | None:
    """Why this decision does not verify against the seal before it, or None. `decision`
    may be a plain row of the decision's columns with its `categories` rows beside it
    (the archive check reads a thousand at a time without building ORM objects)."""
    if (decision.previous_digest or None) != (previous or None):
        return Problem.UNLINKED
    if decision.record_text is None:
        return _legacy_problem(decision, previous)
    facts = facts_of(decision, categories)
    if not seal_matches(key, previous, facts, decision.record_text, decision.digest):
        return Problem.SEAL_BROKEN
    return None


# The columns the seal binds (app/services/records.py: facts_of) and the chain's own. Read
# as plain rows: building, tracking and then dropping ORM objects for 100,000 decisions and
# their millions of answer rows cost far more than every check together.
_DECISION_COLUMNS = (
    Decision.id,
    Decision.sequence,
    Decision.review_id,
    Decision.client_id,
    Decision.decided_by_id,
    Decision.decided_at,
    Decision.final_status,
    Decision.rationale,
    Decision.waiver_reason,
    Decision.one_sided,
    Decision.record_text,
    Decision.previous_digest,
    Decision.digest,
)


def _batches(batch_size: int) -> Iterable[list]:
    """The decisions in sequence order, a batch at a time, as rows of their columns."""
    last = 0
    query = select(*_DECISION_COLUMNS).order_by(Decision.sequence).limit(batch_size)
    while True:
        batch = _read(query.where(Decision.sequence > last)).all()
        if not batch:
            return
        yield batch
        last = batch[-1].sequence


def _categories_of(batch: list) -> dict[int, list]:
    rows = _read(
        select(
            CategoryDecision.decision_id,
            CategoryDecision.category_key,
            CategoryDecision.outcome,
            CategoryDecision.votes,
        )
        .where(CategoryDecision.decision_id.in_([d.id for d in batch]))
        .order_by(CategoryDecision.id)
    ).all()
    by_decision: dict[int, list] = {}
    for row in rows:
        by_decision.setdefault(row.decision_id, []).append(row)
    return by_decision


def _legacy_row_problem(decision, previous: str | None, key: bytes) -> Problem | None:
    """A decision from before schema 2, read whole (its snapshot and categories) for the
    plain SHA-256 chain of app/domain/snapshot.py, then dropped again unless the caller
    had it loaded already: memory stays flat over a long archive."""
    known = identity_key(Decision, decision.id) in db.session.identity_map
    whole = db.session.get(Decision, decision.id)
    problem = record_problem(whole, previous, key)
    if not known:
        for category in whole.categories:
            if category in db.session:
                db.session.expunge(category)
        db.session.expunge(whole)
    return problem


def _review_problems(
    batch: list, answers: bool = True, match: Callable[[int, str], bool] | None = None
) -> dict[int, Problem]:
    """Per decision: its review is not marked decided, or its answers changed since.
    `batch` holds decisions or rows with their id, review_id and record_text. `match`
    tells whether a review's answers have a sealed digest: by default the batch's rows,
    read together (`StoredAnswers`)."""
    db.session.flush()  # what the ORM's own queries did before reading: see pending changes
    ids = [d.review_id for d in batch]
    states = {
        row.id: row.state
        for row in _read(select(Review.id, Review.state).where(Review.id.in_(ids)))
    }
    if match is None and answers:
        match = StoredAnswers(ids).match
    problems: dict[int, Problem] = incident_problems(batch)
    for decision in batch:
        if states.get(decision.review_id) != ReviewState.DECIDED:
            problems[decision.id] = Problem.REVIEW_NOT_DECIDED
            continue
        if decision.record_text is None or match is None or decision.id in problems:
            continue
        sealed = _ANSWERS_DIGEST.search(decision.record_text)
        if sealed is None or not match(decision.review_id, sealed.group(1)):
            problems[decision.id] = Problem.ANSWERS_CHANGED
    return problems


def verify_archive(
    batch_size: int = BATCH_SIZE, head: Head | None = None, answers: bool = True
) -> ChainCheck:
    """Check every decision in order and the archive around them; report the first problem.

    With answers=False (`verify-archive --quick`) the answer rows are not read back: every
    other check holds, and a run stays well within a cron interval at 100,000 decisions.
    """
    key = archive_key()
    previous: str | None = None
    checked = 0
    newest = None
    db.session.flush()  # plain reads below: let them see this session's pending changes
    audited = _audited_reviews()
    closings = ClosingRecords()  # the offboarding kits' records, between the decisions
    for batch in _batches(batch_size):
        review_problems = _review_problems(batch, answers)
        categories = _categories_of(batch)
        for decision in batch:
            previous, broken, _ = closings.check_until(decision.sequence, previous, key)
            if broken:
                return _broken_closing(checked + closings.checked, *broken)
            checked += 1
            if decision.record_text is None:
                problem = _legacy_row_problem(decision, previous, key)
            else:
                problem = record_problem(decision, previous, key, categories.get(decision.id, []))
            problem = problem or review_problems.get(decision.id)
            if problem is None and decision.review_id not in audited:
                problem = Problem.NO_AUDIT_EVENT
            if problem:
                return _broken(checked, decision.sequence, problem)
            previous = decision.digest
            newest = decision
    previous, broken, last_closing = closings.check_until(None, previous, key)
    if broken:
        return _broken_closing(checked + closings.checked, *broken)
    if last_closing is not None:
        newest = last_closing
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
    if checked == 0 and closings.checked == 0:
        return ChainCheck(True, 0, None, "There are no decisions to verify.")
    if closings.checked:
        return ChainCheck(
            True,
            checked + closings.checked,
            None,
            f"All {checked} decisions and {closings.checked} closing reports verified: "
            "the chain is intact.",
        )
    return ChainCheck(
        True, checked, None, f"All {checked} decisions verified: the chain is intact."
    )


def _broken_closing(checked: int, sequence: int, problem: str) -> ChainCheck:
    return ChainCheck(False, checked, sequence, f"Closing report {sequence} {problem}.")


def _broken(checked: int, sequence: int, problem: Problem) -> ChainCheck:
    return ChainCheck(False, checked, sequence, operator_sentence(sequence, problem))


def _head_problem(head: Head, newest) -> str | None:
    if newest is None or newest.sequence < head.sequence:
        return (
            f"The archive ends before decision {head.sequence}, which the head file recorded: "
            "the newest decisions were removed."
        )
    if digest_at(head.sequence) != head.digest:
        return f"Decision {head.sequence} is not the one the head file recorded: it was replaced."
    return None


def current_head() -> Head | None:
    """The newest record in the chain: a decision or an offboarding kit's closing record."""
    last = chain_head()
    return None if last is None else Head(*last)


EMPTY_HEAD = "0 none"  # what `verify-archive --head` prints while no decision exists


def read_head(path: str) -> Head | None:
    """The head file's content; None when it does not exist yet (the first run) or was
    written while the archive was still empty (a new site's cron job)."""
    file = Path(path)
    if not file.exists():
        return None
    text = file.read_text()
    if text.split() == EMPTY_HEAD.split():
        return None
    return Head.parse(text)


def _audited_reviews() -> set[int]:
    rows = _read(
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


def seal_holds(decision: Decision) -> bool:
    """Whether the record is still the text that was sealed, against the seal before it:
    what lets its digest stand for the text (the archived charts' cache). `verify_one`
    checks that and more (the review's answers, the record after it)."""
    previous = None
    if decision.sequence > 1:
        previous = digest_at(decision.sequence - 1)
        if previous is None:
            return False
    return record_problem(decision, previous, archive_key()) is None


def verify_one(decision: Decision) -> RecordCheck:
    """Does this record verify: its seal against the one before, and the one after it?"""
    previous = None
    if decision.sequence > 1:
        previous = digest_at(decision.sequence - 1)  # a decision or a closing record
        if previous is None:
            return RecordCheck(False, Problem.PREVIOUS_MISSING, decision.sequence)
    problem = record_problem(decision, previous, archive_key())
    if problem is None:
        # One review: its answers' check as the pages make it (kept per row version).
        problem = _review_problems([decision], match=answers_match).get(decision.id)
    if problem:
        return RecordCheck(False, problem, decision.sequence)
    following = previous_digest_at(decision.sequence + 1)
    if following is not None and following != decision.digest:
        return RecordCheck(False, Problem.NEXT_UNLINKED, decision.sequence)
    return RecordCheck(True, sequence=decision.sequence)
