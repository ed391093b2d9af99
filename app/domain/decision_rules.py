"""What a complete answer is, and what a lead's decision must satisfy.

The verdicts say whether a category *may* be confirmed; these rules hold the lead to
them: every voted category decided, a rationale, a waiver when the client never
answered, and no confirmation that the agreement rule does not support.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from app.domain.catalogue import Catalogue
from app.domain.errors import ConfirmationRefused, DecisionRefused
from app.domain.verdict import Verdict

CONFIRMED, NOT_CONFIRMED = "confirmed", "not_confirmed"
OUTCOMES = (CONFIRMED, NOT_CONFIRMED)


def missing_for_submission(
    catalogue: Catalogue,
    complexity: int | None,
    answers: Mapping[str, tuple[int | None, int | None]],
    choices: Mapping[str, str],
) -> list[str]:
    """What still stops a submission, in words; empty when the answer is complete.

    `answers` maps a dimension key to (rating, confidence); a chosen category needs
    evidence, because a category without a reason cannot be weighed by anyone.
    """
    missing = []
    for dimension in catalogue.dimensions:
        rating, confidence = answers.get(dimension.key, (None, None))
        if rating is None:
            missing.append(f"rate “{dimension.title}”")
        elif confidence is None:
            missing.append(f"give your confidence for “{dimension.title}”")
    if complexity is None:
        missing.append("rate the project's complexity")
    for key, evidence in choices.items():
        if not evidence.strip():
            missing.append(f"give evidence for the category “{catalogue.category(key).name}”")
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
        raise DecisionRefused("Write the rationale for your decision.", "rationale")
    if not has_client_view and not waiver_reason.strip():
        raise DecisionRefused(
            "The client never gave its view. A missing client view never counts as agreement: "
            "record why you decide without it (the decision is then marked one-sided).",
            "waiver_reason",
        )
    unknown = set(outcomes) - set(voted)
    if unknown:
        raise DecisionRefused(
            "Only categories that received votes can be decided: " + ", ".join(sorted(unknown))
        )
    undecided = set(voted) - set(outcomes)
    if undecided:
        raise DecisionRefused(
            "Decide every category that received votes: " + ", ".join(sorted(undecided))
        )
    for key, outcome in outcomes.items():
        if outcome not in OUTCOMES:
            raise DecisionRefused(f"Unknown outcome {outcome!r}.")
        verdict = voted[key]
        if outcome == CONFIRMED and not verdict.confirmable:
            failed = "; ".join(c.label for c in verdict.failed_conditions)
            raise ConfirmationRefused(
                f"“{verdict.category_name}” cannot be confirmed: "
                f"the agreement rule fails ({failed})."
            )


def client_status_after(outcomes: Mapping[str, str], clear_client: bool) -> str:
    """Blacklisted when anything is confirmed; otherwise active, or cleared if the lead says so."""
    if any(outcome == CONFIRMED for outcome in outcomes.values()):
        return "blacklisted"
    return "cleared" if clear_client else "active"
