"""What can be wrong with an archived record, as codes.

The archive's checks (app/services/archive_verify.py, archive_verify_extra.py) say which
problem they found, never a sentence: the archive's page words it in the reader's language
(app/archive/verification.py), and `verify-archive`, which speaks to the operator, in
English through `OPERATOR_TEXT` below. Each code is worded in both places.
"""

from __future__ import annotations

from enum import StrEnum


class Problem(StrEnum):
    UNLINKED = "unlinked"  # does not point at the seal before it
    SEAL_BROKEN = "seal_broken"  # the seal no longer matches its row and record
    LEGACY_DIGEST_BROKEN = "legacy_digest_broken"  # before schema 2: plain digest
    LEGACY_ROW_CHANGED = "legacy_row_changed"  # before schema 2: columns vs snapshot
    UNREADABLE = "unreadable"
    REVIEW_NOT_DECIDED = "review_not_decided"
    ANSWERS_CHANGED = "answers_changed"
    INCIDENTS_ADDED = "incidents_added"
    INCIDENTS_CHANGED = "incidents_changed"
    NO_AUDIT_EVENT = "no_audit_event"
    PREVIOUS_MISSING = "previous_missing"  # the record before it is gone (one record's check)
    NEXT_UNLINKED = "next_unlinked"  # the record after it points elsewhere (likewise)


# The operator's English, completing "Decision 12 ..." (verify-archive prints it).
OPERATOR_TEXT: dict[Problem, str] = {
    Problem.UNLINKED: (
        "does not point at the decision before it: one was removed, inserted or reordered"
    ),
    Problem.SEAL_BROKEN: (
        "was changed after it was recorded: its seal no longer matches its row and record "
        "(who decided, the client, the outcome, the rationale or the record itself)"
    ),
    Problem.LEGACY_DIGEST_BROKEN: (
        "was changed after it was recorded: its digest no longer matches its snapshot"
    ),
    Problem.LEGACY_ROW_CHANGED: (
        "was changed after it was recorded: its row no longer matches its snapshot"
    ),
    Problem.UNREADABLE: "cannot be read",
    Problem.REVIEW_NOT_DECIDED: "belongs to a review that is no longer marked decided",
    Problem.ANSWERS_CHANGED: (
        "rested on answers that were changed afterwards: the answer rows no longer have the "
        "digest the record sealed"
    ),
    Problem.INCIDENTS_ADDED: (
        "has incident-log entries attached to its review that its record never sealed: an "
        "attachment was added afterwards"
    ),
    Problem.INCIDENTS_CHANGED: (
        "sealed incident-log entries that were changed afterwards: the attached entries no "
        "longer have the digest the record sealed"
    ),
    Problem.NO_AUDIT_EVENT: "has no audit event: the audit log was changed",
    Problem.PREVIOUS_MISSING: "comes after a decision that is missing",
    Problem.NEXT_UNLINKED: (
        "is not the record the decision after it points at: one of the two was changed "
        "after it was recorded"
    ),
}


def operator_sentence(sequence: int, problem: Problem) -> str:
    return f"Decision {sequence} {OPERATOR_TEXT[problem]}."
