"""What a complete answer is, and what a lead's decision must satisfy.

The verdicts say whether a category *may* be confirmed; these rules hold the lead to
them: every voted category decided, a rationale, a waiver when the client never
answered, and no confirmation that the agreement rule does not support.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from app.domain.catalogue import Catalogue
from app.domain.errors import ConfirmationRefused, DecisionRefused
from app.domain.verdict import Verdict

CONFIRMED, NOT_CONFIRMED = "confirmed", "not_confirmed"
OUTCOMES = (CONFIRMED, NOT_CONFIRMED)


@dataclass(frozen=True)
class Gap:
    """One thing that still stops a submission: code "rating", "confidence", "complexity"
    or "evidence", and the dimension or category key it concerns (None for complexity)."""

    code: str
    subject: str | None = None


def missing_for_submission(
    catalogue: Catalogue,
    complexity: int | None,
    answers: Mapping[str, tuple[int | None, int | None]],
    choices: Mapping[str, str],
) -> list[Gap]:
    """What still stops a submission; empty when the answer is complete.

    `answers` maps a dimension key to (rating, confidence); a chosen category needs
    evidence, because a category without a reason cannot be weighed by anyone. Every
    gap is listed at once, so a member fixes them in one go.
    """
    missing = []
    for dimension in catalogue.dimensions:
        rating, confidence = answers.get(dimension.key, (None, None))
        if rating is None:
            missing.append(Gap("rating", dimension.key))
        if confidence is None:
            missing.append(Gap("confidence", dimension.key))
    if complexity is None:
        missing.append(Gap("complexity"))
    for key, evidence in choices.items():
        if not evidence.strip():
            missing.append(Gap("evidence", key))
    return missing


def check_decision(
    verdicts: Sequence[Verdict],
    outcomes: Mapping[str, str],
    rationale: str,
    waiver_reason: str,
    has_client_view: bool,
) -> None:
    """Raise DecisionRefused (or ConfirmationRefused) when the decision breaks a rule."""
    voted = {v.category_key: v for v in verdicts}
    if not rationale.strip():
        raise DecisionRefused(field="rationale", code="rationale_missing")
    if not has_client_view and not waiver_reason.strip():
        raise DecisionRefused(field="waiver_reason", code="waiver_missing")
    unknown = set(outcomes) - set(voted)
    if unknown:
        raise DecisionRefused(
            code="category_not_voted",
            categories=sorted(unknown),
        )
    undecided = set(voted) - set(outcomes)
    if undecided:
        raise DecisionRefused(
            code="category_undecided",
            categories=sorted(undecided),
        )
    for key, outcome in outcomes.items():
        if outcome not in OUTCOMES:
            raise DecisionRefused(code="unknown_outcome", outcome=str(outcome))
        verdict = voted[key]
        unassessed = [c for c in verdict.failed_conditions if not c.assessed]
        if (
            outcome == CONFIRMED
            and unassessed
            and len(unassessed) == len(verdict.failed_conditions)
            and not waiver_reason.strip()
        ):
            # Only questions the client skipped stand in the way: the lead may confirm
            # one-sided, but must write why.
            raise DecisionRefused(
                field="waiver_reason",
                code="waiver_missing_for_skipped",
                category=key,
                questions=[c.subject for c in unassessed if c.subject],
            )
        if outcome == CONFIRMED and not verdict.confirmable:
            raise ConfirmationRefused(
                field=f"outcome__{key}",
                code="confirmation_refused",
                category=key,
                failed=list(verdict.failed_keys),
            )


def client_status_after(outcomes: Mapping[str, str], clear_client: bool) -> str:
    """Blacklisted when anything is confirmed; otherwise active, or cleared if the lead says so."""
    if any(outcome == CONFIRMED for outcome in outcomes.values()):
        return "blacklisted"
    return "cleared" if clear_client else "active"
