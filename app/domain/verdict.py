"""The agreement rule: may a category be confirmed for a client, and if not, why not?

`evaluate(category_key, review_data, thresholds)` checks every condition below, always
all of them and in this order, and says in words what it measured, what the bar was
and why it passed or failed. A category is confirmable only when every condition
passes; the lead's sign-off with a written rationale comes on top (the web layer
enforces it).

1. quorum: at least the review's quorum of team members submitted independently.
2. vote_share: at least two thirds of respondents (and at least one) chose the category.
3. team_agreement: the members agree among themselves on the category's linked
   dimensions. All identical: agreement. With at least 10 pairable values over at
   least 2 dimensions, Krippendorff's ordinal alpha decides: >= 0.800 reliable,
   0.667-0.800 tentative (still a pass), below 0.667 a fail. With less data alpha is
   too shaky, and the companion figure decides: at least 75 % of the ratings lie
   within one point of their dimension's median.
4. corroboration:<dimension>, one per linked dimension: the team's mean self-rating
   exceeds the client's rating by at most the gap threshold. A dimension the client
   did not rate fails: a missing client view never counts as agreement. A dimension
   no team member rated fails too, waiver or not.
5. overconfidence: on no linked dimension is the team mean at least the gap threshold
   above the client while the team's mean confidence is at least the confidence
   threshold. That is the overconfidence paradox, and the verdict says so first.
   Members flagged individually are named but do not decide. Without a client view
   there is nothing to compare with: "not assessed" (the client_view condition fails).
6. complexity: always passes; it shows how the team's median complexity tightened the
   gap and confidence thresholds (formula in app/domain/thresholds.py).
7. client_view: the client's view was recorded. Without it the rule fails, unless the
   lead recorded a reason to waive it: then corroboration and overconfidence are "not
   assessed", pass, and the verdict is marked one-sided.

The thresholds and their anchors are documented in app/domain/thresholds.py and in
docs/agreement-rule.md. Comparisons against a threshold allow 1e-9 for float rounding,
so a figure that equals its bar on paper counts as meeting it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from app.domain.agreement import Agreement, team_agreement
from app.domain.catalogue import Category
from app.domain.conditions import (
    MISSING_CLIENT,
    PARADOX,
    Condition,
    client_view_condition,
    complexity_condition,
    corroboration_condition,
    overconfidence_condition,
    quorum_condition,
    team_agreement_condition,
    vote_share_condition,
)
from app.domain.scoring import ReviewData, ReviewScores, ratings_by_respondent, score_review
from app.domain.thresholds import Thresholds

__all__ = [
    "MISSING_CLIENT",
    "PARADOX",
    "Condition",
    "Verdict",
    "evaluate",
    "evaluate_all",
]


@dataclass(frozen=True)
class Verdict:
    category_key: str
    category_name: str
    confirmable: bool
    one_sided: bool
    conditions: tuple[Condition, ...]
    agreement: Agreement
    decided_by: str  # which figure decided team agreement: "alpha", "companion" or "unanimous"
    summary: str

    @property
    def failed_conditions(self) -> tuple[Condition, ...]:
        return tuple(condition for condition in self.conditions if not condition.passed)

    @property
    def overconfidence_paradox(self) -> bool:
        return not self.condition("overconfidence").passed

    def condition(self, key: str) -> Condition:
        for condition in self.conditions:
            if condition.key == key:
                return condition
        raise KeyError(key)


def evaluate(category_key: str, data: ReviewData, thresholds: Thresholds) -> Verdict:
    """Judge one category; raises the domain errors on unknown keys or invalid data."""
    scores = score_review(data, thresholds)  # validates the data first
    return _judge(data.catalogue.category(category_key), data, scores, thresholds)


def evaluate_all(
    data: ReviewData, thresholds: Thresholds, category_keys: Iterable[str] | None = None
) -> tuple[Verdict, ...]:
    """Verdicts for the given categories (all, in catalogue order, by default), scored once."""
    scores = score_review(data, thresholds)
    keys = data.catalogue.category_keys if category_keys is None else tuple(category_keys)
    return tuple(_judge(data.catalogue.category(key), data, scores, thresholds) for key in keys)


def _judge(
    category: Category, data: ReviewData, scores: ReviewScores, thresholds: Thresholds
) -> Verdict:
    agreement = team_agreement(ratings_by_respondent(data.team), category.dimension_keys)
    agreement_condition, decided_by = team_agreement_condition(agreement, thresholds)
    conditions = (
        quorum_condition(scores.respondents, data.quorum),
        vote_share_condition(category, scores, thresholds),
        agreement_condition,
        *(corroboration_condition(key, data, scores) for key in category.dimension_keys),
        overconfidence_condition(category, data, scores),
        complexity_condition(scores),
        client_view_condition(data),
    )
    confirmable = all(condition.passed for condition in conditions)
    return Verdict(
        category_key=category.key,
        category_name=category.name,
        confirmable=confirmable,
        one_sided=data.waived,
        conditions=conditions,
        agreement=agreement,
        decided_by=decided_by,
        summary=_summary(category, conditions, confirmable, data),
    )


def _summary(
    category: Category, conditions: tuple[Condition, ...], confirmable: bool, data: ReviewData
) -> str:
    failed = [condition for condition in conditions if not condition.passed]
    paradox = any(condition.key == "overconfidence" for condition in failed)
    prefix = PARADOX + " " if paradox else ""
    if confirmable:
        text = f"'{category.name}' can be confirmed: all {len(conditions)} conditions hold."
        if data.waived:
            reason = data.waiver_reason.strip()
            text += f" One-sided: decided without a client view (waived: {reason})."
        return prefix + text + " The lead must still sign off with a written rationale."
    labels = "; ".join(condition.label[:1].lower() + condition.label[1:] for condition in failed)
    return (
        f"{prefix}'{category.name}' cannot be confirmed. "
        f"Conditions not met ({len(failed)} of {len(conditions)}): {labels}."
    )
