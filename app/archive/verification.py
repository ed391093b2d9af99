"""A record's verification, worded for the archive's page in the reader's language.

The check (app/services/archive_verify.verify_one) says which problem it found and on
which record of the chain; this words it. Every problem code has a wording here
(tests/web/test_archive_verification_language.py checks that none is missing).
"""

from __future__ import annotations

from flask_babel import gettext as _

from app.labels import N_
from app.services.archive_problems import Problem
from app.services.archive_verify import RecordCheck

# Each problem's wording, and the record it names: the one checked (0), the one before it
# (-1) or the one after it (1).
WORDINGS: dict[Problem, tuple[str, int]] = {
    Problem.UNLINKED: (
        N_(
            "Decision %(number)s does not point at the decision before it: one was removed, "
            "inserted or reordered."
        ),
        0,
    ),
    Problem.SEAL_BROKEN: (
        N_(
            "Decision %(number)s was changed after it was recorded: its seal no longer "
            "matches its row and record (who decided, the client, the outcome, the rationale "
            "or the record itself)."
        ),
        0,
    ),
    Problem.LEGACY_DIGEST_BROKEN: (
        N_(
            "Decision %(number)s was changed after it was recorded: its digest no longer "
            "matches its snapshot."
        ),
        0,
    ),
    Problem.LEGACY_ROW_CHANGED: (
        N_(
            "Decision %(number)s was changed after it was recorded: its row no longer matches "
            "its snapshot."
        ),
        0,
    ),
    Problem.UNREADABLE: (N_("Decision %(number)s cannot be read."), 0),
    Problem.REVIEW_NOT_DECIDED: (
        N_("Decision %(number)s belongs to a review that is no longer marked decided."),
        0,
    ),
    Problem.ANSWERS_CHANGED: (
        N_(
            "Decision %(number)s rested on answers that were changed afterwards: the answer "
            "rows no longer have the digest the record sealed."
        ),
        0,
    ),
    Problem.INCIDENTS_ADDED: (
        N_(
            "Decision %(number)s has incident-log entries attached to its review that its "
            "record never sealed: an attachment was added afterwards."
        ),
        0,
    ),
    Problem.INCIDENTS_CHANGED: (
        N_(
            "Decision %(number)s sealed incident-log entries that were changed afterwards: "
            "the attached entries no longer have the digest the record sealed."
        ),
        0,
    ),
    Problem.NO_AUDIT_EVENT: (
        N_("Decision %(number)s has no audit event: the audit log was changed."),
        0,
    ),
    Problem.PREVIOUS_MISSING: (N_("The decision before it (number %(number)s) is missing."), -1),
    Problem.NEXT_UNLINKED: (
        N_(
            "Decision %(number)s does not point at this record: one of the two was changed "
            "after it was recorded."
        ),
        1,
    ),
}


def problem_text(check: RecordCheck) -> str:
    """Why the record does not verify, in the reader's language ("" when it does)."""
    if check.ok or check.problem is None:
        return ""
    text, offset = WORDINGS[check.problem]
    return _(text, number=(check.sequence or 0) + offset)
