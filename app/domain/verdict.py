"""The agreement rule: may a category be confirmed for a client, and if not, why not?

`evaluate(category_key, review_data, thresholds)` checks every condition below, always
all of them and in this order, and returns them as data (code, reason, measured value,
bar, parameters). A category is confirmable only when every condition passes; the
lead's sign-off with a written rationale comes on top (decision_rules).

1. quorum: at least the review's quorum of distinct team members submitted, and never
   fewer than min_respondents (3 by default): no one- or two-person blacklists.
2. vote_share: at least two thirds of respondents (and at least one) chose the category.
3. team_agreement: r_wg reaches 0.70 on every linked dimension, and random answering
   would look at least as agreed on all of them with a chance of at most 5 %
   (app/domain/agreement.py, app/domain/chance.py). Krippendorff's alpha is reported and
   never decides.
4. corroboration, one per linked dimension: the team's mean rating exceeds the client's
   by at most the gap threshold. A dimension the client skipped, or a missing client
   view, is "not assessed": it passes only with the lead's written reason, and the
   verdict is then one-sided. A dimension no team member rated fails.
5. overconfidence: the gate. On no linked dimension may the team's gap, with the
   over-rating of members who are sure counted sure_weight (1.5) times, exceed the gap
   threshold. A sure team is therefore blocked from gap_threshold / 1.5 on, an unsure
   one only where corroboration fails anyway. Members whose own sure over-rating
   exceeds the bar are named.
6. complexity: always passes; it shows the review's complexity level (set before any
   answer) and the thresholds that follow, beside the members' own median rating.
7. client_view: the client's view was recorded (through its link, or by a lead who did
   not answer the review, with the quoted source), or the lead wrote why to decide
   without it.

The thresholds and their anchors are documented in app/domain/thresholds.py and in
docs/agreement-rule.md. Comparisons against a threshold allow 1e-9 for float rounding,
so a figure that equals its bar on paper counts as meeting it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from app.domain.agreement import Agreement, team_agreement
from app.domain.catalogue import Category
from app.domain.conditions import (
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

__all__ = ["Condition", "Verdict", "evaluate", "evaluate_all"]


@dataclass(frozen=True)
class Verdict:
    """One category's verdict as data; the web layer words it.

    one_sided: confirmable only thanks to the lead's written reason for a missing client
    view or for linked dimensions the client skipped (not_assessed lists those).
    """

    category_key: str
    confirmable: bool
    one_sided: bool
    conditions: tuple[Condition, ...]
    agreement: Agreement
    not_assessed: tuple[str, ...]

    @property
    def failed_conditions(self) -> tuple[Condition, ...]:
        return tuple(condition for condition in self.conditions if not condition.passed)

    @property
    def confirmable_with_reason(self) -> bool:
        """Only conditions the client's missing or skipped view left unassessed stand in
        the way: the lead may confirm one-sided, with a written reason (never silently)."""
        failed = self.failed_conditions
        return bool(failed) and all(not condition.assessed for condition in failed)

    @property
    def failed_keys(self) -> tuple[str, ...]:
        return tuple(condition.key for condition in self.failed_conditions)

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
    return judge(data.catalogue.category(category_key), data, scores, thresholds)


def evaluate_all(
    data: ReviewData,
    thresholds: Thresholds,
    category_keys: Iterable[str] | None = None,
    *,
    scores: ReviewScores | None = None,
) -> tuple[Verdict, ...]:
    """Verdicts for the given categories (all, in catalogue order, by default), scored once:
    a caller that has scored the data already passes its `scores` (the same data and
    thresholds) and nothing is scored again."""
    if scores is None:
        scores = score_review(data, thresholds)
    keys = data.catalogue.category_keys if category_keys is None else tuple(category_keys)
    ratings = ratings_by_respondent(data.team)  # once, not once per category
    return tuple(
        judge(data.catalogue.category(key), data, scores, thresholds, ratings) for key in keys
    )


def judge(
    category: Category,
    data: ReviewData,
    scores: ReviewScores,
    thresholds: Thresholds,
    ratings: Mapping[str, Mapping[str, int]] | None = None,
) -> Verdict:
    """The verdict on one category from review data already scored with `score_review`
    (`ratings`: `ratings_by_respondent(data.team)`, when the caller has it already)."""
    if ratings is None:
        ratings = ratings_by_respondent(data.team)
    agreement = team_agreement(
        ratings, category.dimension_keys, thresholds.rwg_agreement, thresholds.agreement_chance
    )
    corroborations = tuple(
        corroboration_condition(key, data, scores) for key in category.dimension_keys
    )
    conditions = (
        quorum_condition(scores.respondents, data.quorum, thresholds),
        vote_share_condition(category, scores, thresholds),
        team_agreement_condition(agreement),
        *corroborations,
        overconfidence_condition(category, scores),
        complexity_condition(scores),
        client_view_condition(category, data),
    )
    confirmable = all(condition.passed for condition in conditions)
    not_assessed = tuple(c.subject for c in corroborations if not c.assessed and c.subject)
    return Verdict(
        category_key=category.key,
        confirmable=confirmable,
        one_sided=bool(not_assessed) and data.has_waiver_reason,
        conditions=conditions,
        agreement=agreement,
        not_assessed=not_assessed,
    )
