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
   did not rate fails: a missing client view never counts as agreement.
5. overconfidence: on no linked dimension is the team mean at least the gap threshold
   above the client while the team's mean confidence is at least the confidence
   threshold. That is the overconfidence paradox, and the verdict says so first.
   Members flagged individually are named but do not decide.
6. complexity: always passes; it shows how the team's median complexity tightened the
   gap and confidence thresholds (formula in app/domain/thresholds.py).
7. client_view: the client's view was recorded. Without it the rule fails, unless the
   lead recorded a reason to waive it: then corroboration and overconfidence are "not
   assessed", pass, and the verdict is marked one-sided.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from app.domain.agreement import Agreement, team_agreement
from app.domain.catalogue import COMPLEXITY_LABELS, Category
from app.domain.scoring import (
    TEAM,
    TOLERANCE,
    ReviewData,
    ReviewScores,
    ratings_by_respondent,
    score_review,
)
from app.domain.thresholds import Thresholds

PARADOX = "Overconfidence paradox: the team rates itself high, is very sure, and the client disagrees."
MISSING_CLIENT = "a missing client view never counts as agreement"


@dataclass(frozen=True)
class Condition:
    key: str
    label: str
    measured: str
    threshold: str
    passed: bool
    explanation: str
    measured_value: float | None = None
    threshold_value: float | None = None


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
    scores = score_review(data, thresholds)  # validates the data
    return _evaluate_scored(data.catalogue.category(category_key), data, scores, thresholds)


def evaluate_all(
    data: ReviewData, thresholds: Thresholds, category_keys: Iterable[str] | None = None
) -> tuple[Verdict, ...]:
    """Verdicts for the given categories (all, in catalogue order, by default), scored once."""
    scores = score_review(data, thresholds)
    keys = data.catalogue.category_keys if category_keys is None else tuple(category_keys)
    return tuple(
        _evaluate_scored(data.catalogue.category(key), data, scores, thresholds) for key in keys
    )


def _evaluate_scored(
    category: Category, data: ReviewData, scores: ReviewScores, thresholds: Thresholds
) -> Verdict:
    agreement = team_agreement(ratings_by_respondent(data.team), category.dimension_keys)
    agreement_condition, decided_by = _team_agreement(agreement, thresholds)
    conditions = (
        _quorum(scores.respondents, data.quorum),
        _vote_share(category, scores, thresholds),
        agreement_condition,
        *(_corroboration(key, category, data, scores) for key in category.dimension_keys),
        _overconfidence(category, data, scores),
        _complexity(scores),
        _client_view(data),
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


def _percent(share: float) -> str:
    return f"{share * 100:.0f} %"


def _number(value: float) -> str:
    """65.0 -> "65", 62.5 -> "62.5", 0.7333 -> "0.73"."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _quorum(respondents: int, quorum: int) -> Condition:
    passed = respondents >= quorum
    if passed:
        explanation = f"{respondents} team members answered independently; the review needed {quorum}."
    else:
        explanation = (
            f"Only {respondents} of the {quorum} required team members answered, "
            "so the team's view is not established."
        )
    return Condition(
        "quorum", "Enough independent answers",
        f"{respondents} respondent{'s' if respondents != 1 else ''} submitted",
        f"at least {quorum} (this review's quorum)",
        passed, explanation, float(respondents), float(quorum),
    )


def _vote_share(category: Category, scores: ReviewScores, thresholds: Thresholds) -> Condition:
    votes, respondents = scores.votes[category.key], scores.respondents
    share = votes / respondents
    bar = _percent(thresholds.vote_share)
    passed = votes >= 1 and share >= thresholds.vote_share - TOLERANCE
    if passed:
        explanation = f"{votes} of {respondents} respondents independently chose '{category.name}', meeting the {bar} bar."
    elif votes == 0:
        explanation = f"Nobody chose '{category.name}'."
    else:
        explanation = f"Only {votes} of {respondents} respondents chose '{category.name}'; confirming it needs at least {bar}."
    return Condition(
        "vote_share", "A clear majority chose the category",
        f"{votes} of {respondents} respondents ({_percent(share)})",
        f"at least {bar}, and at least one vote",
        passed, explanation, share, thresholds.vote_share,
    )


def _team_agreement(agreement: Agreement, t: Thresholds) -> tuple[Condition, str]:
    a, pairable, units = agreement.alpha, agreement.pairable_values, agreement.units
    share = agreement.within_one_share
    threshold = (
        f"alpha at least {t.alpha_tentative:.3f} given at least {t.min_pairable_for_alpha} pairable values "
        f"on {t.min_units_for_alpha}+ dimensions; otherwise at least {_percent(t.within_one_share)} "
        "of ratings within one point of the median"
    )
    companion_passes = share is not None and share >= t.within_one_share - TOLERANCE
    companion_text = "" if share is None else f"{_percent(share)} of ratings within one point of the median"

    if agreement.state == "unanimous":
        measured = f"unanimous: all {pairable} pairable ratings are identical"
        explanation = (
            "Every member gave the same rating on the linked dimensions: full agreement "
            "(alpha is undefined when there is no disagreement at all)."
        )
        return _agreement_condition(measured, threshold, True, explanation, share, None), "unanimous"

    if agreement.state == "too_few":
        measured = f"too few ratings: {agreement.raters} member(s), {pairable} pairable values"
        explanation = (
            "Fewer than two members rated the linked dimensions, so agreement cannot be judged, "
            "and that does not count as agreement (the companion figure decides and has nothing to go on)."
        )
        return _agreement_condition(measured, threshold, False, explanation, None, t.within_one_share), "companion"

    measured = f"alpha {a:.3f} on {pairable} pairable values over {units} dimension(s); {companion_text}"
    if pairable >= t.min_pairable_for_alpha and units >= t.min_units_for_alpha:
        passed = a >= t.alpha_tentative - TOLERANCE
        if a >= t.alpha_reliable - TOLERANCE:
            explanation = f"Alpha decided: {a:.3f} is at least {t.alpha_reliable:.3f}, so the team's agreement is reliable."
        elif passed:
            explanation = (
                f"Alpha decided: {a:.3f} lies between {t.alpha_tentative:.3f} and {t.alpha_reliable:.3f}, "
                "so the team agrees, but only tentatively."
            )
        else:
            explanation = f"Alpha decided: {a:.3f} is below {t.alpha_tentative:.3f}, too little agreement to draw conclusions."
            if companion_passes:
                explanation += f" (The companion figure, {companion_text}, would pass, but with this much data alpha decides.)"
        return _agreement_condition(measured, threshold, passed, explanation, a, t.alpha_tentative), "alpha"

    explanation = (
        f"The companion figure decided: with {pairable} pairable values on {units} dimension(s), alpha "
        f"({a:.3f}) is too shaky (it needs {t.min_pairable_for_alpha} values on {t.min_units_for_alpha}+ "
        f"dimensions). {companion_text[0].upper()}{companion_text[1:]}, "
        + ("meeting" if companion_passes else "below")
        + f" the {_percent(t.within_one_share)} bar."
    )
    condition = _agreement_condition(measured, threshold, companion_passes, explanation, share, t.within_one_share)
    return condition, "companion"


def _agreement_condition(measured, threshold, passed, explanation, value, bar) -> Condition:
    return Condition(
        "team_agreement", "The team agrees on the linked dimensions",
        measured, threshold, passed, explanation, value, bar,
    )


def _waiver_note(data: ReviewData) -> str:
    return f"not assessed (one-sided, waived: {data.waiver_reason.strip()})"


def _corroboration(key: str, category: Category, data: ReviewData, scores: ReviewScores) -> Condition:
    title = data.catalogue.dimension(key).title
    limit = scores.gap_threshold
    threshold = f"team mean at most {_number(limit)} above the client's rating"
    stats = scores.stats_for(key)

    def result(measured, passed, explanation, gap=None) -> Condition:
        return Condition(f"corroboration:{key}", f"The client corroborates: {title}",
                         measured, threshold, passed, explanation, gap, limit)

    if data.waived:
        note = _waiver_note(data)
        return result(note, True, note[0].upper() + note[1:] + ".")
    if data.client is None:
        return result("no client view", False, f"No client view: {MISSING_CLIENT}.")
    if stats is None:
        return result("no team ratings", False, "No team member rated this dimension, so there is nothing to corroborate.")
    if stats.client_rating is None:
        return result(
            f"team mean {stats.team_mean:.2f}; no client rating", False,
            f"The client did not rate this dimension, and {MISSING_CLIENT}.",
        )
    gap = stats.gap
    measured = f"team mean {stats.team_mean:.2f} vs client {stats.client_rating}: gap {gap:+.2f}"
    if gap <= limit + TOLERANCE:
        if gap <= 0:
            explanation = "The client rates the agency at least as high as the team rates itself."
        else:
            explanation = (
                f"The team rates itself {gap:.2f} points above the client, within the "
                f"{_number(limit)} allowed at this complexity."
            )
        return result(measured, True, explanation, gap)
    explanation = (
        f"The team rates itself {gap:.2f} points above the client, more than the {_number(limit)} "
        "allowed at this complexity: the client's view does not support the team's."
    )
    return result(measured, False, explanation, gap)


def _overconfidence(category: Category, data: ReviewData, scores: ReviewScores) -> Condition:
    linked = set(category.dimension_keys)
    flags = [flag for flag in scores.flags if flag.dimension_key in linked]
    team_flags = [flag for flag in flags if flag.who == TEAM]
    member_flags = [flag for flag in flags if flag.who != TEAM]
    gap_text, confidence_text = _number(scores.gap_threshold), _number(scores.confidence_threshold)
    threshold = (
        f"no linked dimension where the team mean is {gap_text}+ above the client "
        f"at a mean confidence of {confidence_text} %+"
    )

    def title(key: str) -> str:
        return data.catalogue.dimension(key).title

    def result(measured, passed, explanation) -> Condition:
        return Condition("overconfidence", "No overconfidence paradox", measured, threshold,
                         passed, explanation, float(len(team_flags)), 0.0)

    if data.waived:
        note = _waiver_note(data)
        return result(note, True, note[0].upper() + note[1:] + ".")
    if data.client is None:
        return result("not assessed: no client view", True,
                      "Not assessed: there is no client view to compare with (see the client view condition).")
    members = ""
    if member_flags:
        members = " Flagged individually (shown, not deciding): " + "; ".join(
            f"{flag.who} on {title(flag.dimension_key)} (rating {flag.rating_or_mean:g} vs client "
            f"{flag.client_rating}, {flag.confidence:g} % sure)"
            for flag in member_flags
        ) + "."
    if team_flags:
        details = "; ".join(
            f"on {title(flag.dimension_key)} the team mean is {flag.rating_or_mean:.2f} vs the client's "
            f"{flag.client_rating} (gap {flag.gap:.2f}) at a mean confidence of {flag.confidence:.0f} %"
            for flag in team_flags
        )
        measured = "team flagged on " + ", ".join(title(flag.dimension_key) for flag in team_flags)
        return result(measured, False, f"{PARADOX} {details[0].upper()}{details[1:]}.{members}")
    measured = "no team flag" + (f"; {len(member_flags)} member flag(s)" if member_flags else "")
    explanation = "On no linked dimension does the team rate itself well above the client while being very sure."
    return result(measured, True, explanation + members)


def _complexity(scores: ReviewScores) -> Condition:
    median = scores.complexity_median
    label = COMPLEXITY_LABELS.get(int(median)) if median == int(median) else None
    described = f"median complexity {_number(median)}" + (f" ({label})" if label else "")
    adjusted = (
        f"gap threshold {_number(scores.gap_threshold)}, "
        f"confidence threshold {_number(scores.confidence_threshold)} %"
    )
    explanation = (
        "Informational: the more complex the project, the stricter the check (hard-easy effect): "
        f"median complexity {_number(median)} → {adjusted}."
    )
    return Condition("complexity", "Complexity adjustment", described, adjusted, True,
                     explanation, median, scores.gap_threshold)


def _client_view(data: ReviewData) -> Condition:
    threshold = "a client view, or a recorded reason to decide without one"
    if data.client is not None:
        explanation = "The client's own view is recorded."
        if data.waiver_reason and data.waiver_reason.strip():
            explanation += " The waiver reason is not needed and is ignored."
        passed, measured = True, f"client rated {len(data.client.ratings)} dimension(s)"
    elif data.waived:
        passed, measured = True, "no client view (waived)"
        explanation = (
            f"No client view; the lead waived it: \"{data.waiver_reason.strip()}\". "
            "The decision will be marked one-sided."
        )
    else:
        passed, measured = False, "no client view"
        explanation = f"No client view: {MISSING_CLIENT}; record a waiver reason to decide one-sided."
    return Condition("client_view", "The client's view is recorded", measured, threshold, passed, explanation)


def _summary(category: Category, conditions: tuple[Condition, ...], confirmable: bool, data: ReviewData) -> str:
    failed = [condition for condition in conditions if not condition.passed]
    prefix = PARADOX + " " if any(condition.key == "overconfidence" for condition in failed) else ""
    if confirmable:
        text = f"'{category.name}' can be confirmed: all {len(conditions)} conditions hold."
        if data.waived:
            text += f" One-sided: decided without a client view (waived: {data.waiver_reason.strip()})."
        return prefix + text + " The lead must still sign off with a written rationale."
    labels = ", ".join(condition.label.lower() for condition in failed)
    return (
        prefix + f"'{category.name}' cannot be confirmed: {len(failed)} of {len(conditions)} "
        f"conditions fail ({labels})."
    )
