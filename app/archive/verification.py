"""A record's verification, worded for the archive's page in the reader's language.

The check (app/services/archive_verify.verify_one) says which problem it found and on
which record of the chain; this words it. Every problem code has a wording here
(tests/web/test_archive_verification_language.py checks that none is missing).
"""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import gettext as _

from app.services.archive_problems import Problem
from app.services.archive_verify import RecordCheck

WORDINGS: dict[Problem, Callable[[int], str]] = {
    Problem.UNLINKED: lambda n: _(
        "Decision %(number)s does not point at the decision before it: one was removed, "
        "inserted or reordered.",
        number=n,
    ),
    Problem.SEAL_BROKEN: lambda n: _(
        "Decision %(number)s was changed after it was recorded: its seal no longer matches "
        "its row and record (who decided, the client, the outcome, the rationale or the "
        "record itself).",
        number=n,
    ),
    Problem.LEGACY_DIGEST_BROKEN: lambda n: _(
        "Decision %(number)s was changed after it was recorded: its digest no longer matches "
        "its snapshot.",
        number=n,
    ),
    Problem.LEGACY_ROW_CHANGED: lambda n: _(
        "Decision %(number)s was changed after it was recorded: its row no longer matches its "
        "snapshot.",
        number=n,
    ),
    Problem.UNREADABLE: lambda n: _("Decision %(number)s cannot be read.", number=n),
    Problem.REVIEW_NOT_DECIDED: lambda n: _(
        "Decision %(number)s belongs to a review that is no longer marked decided.", number=n
    ),
    Problem.ANSWERS_CHANGED: lambda n: _(
        "Decision %(number)s rested on answers that were changed afterwards: the answer rows "
        "no longer have the digest the record sealed.",
        number=n,
    ),
    Problem.INCIDENTS_ADDED: lambda n: _(
        "Decision %(number)s has incident-log entries attached to its review that its record "
        "never sealed: an attachment was added afterwards.",
        number=n,
    ),
    Problem.INCIDENTS_CHANGED: lambda n: _(
        "Decision %(number)s sealed incident-log entries that were changed afterwards: the "
        "attached entries no longer have the digest the record sealed.",
        number=n,
    ),
    Problem.NO_AUDIT_EVENT: lambda n: _(
        "Decision %(number)s has no audit event: the audit log was changed.", number=n
    ),
    Problem.PREVIOUS_MISSING: lambda n: _(
        "The decision before it (number %(number)s) is missing.", number=n - 1
    ),
    Problem.NEXT_UNLINKED: lambda n: _(
        "Decision %(number)s does not point at this record: one of the two was changed after "
        "it was recorded.",
        number=n + 1,
    ),
}


def problem_text(check: RecordCheck) -> str:
    """Why the record does not verify, in the reader's language ("" when it does)."""
    if check.ok or check.problem is None:
        return ""
    return WORDINGS[check.problem](check.sequence or 0)
