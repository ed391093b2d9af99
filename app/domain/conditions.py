"""One function per condition of the agreement rule, each returning a Condition in words.

The rule itself, and the order of the conditions, is described in app/domain/verdict.py.
Every Condition carries human-readable `measured` and `threshold` strings for the
decision page and the same figures as numbers for charts and exports.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.agreement import Agreement
from app.domain.catalogue import COMPLEXITY_LABELS, Category
from app.domain.scoring import TEAM, TOLERANCE, ReviewData, ReviewScores
from app.domain.thresholds import Thresholds

PARADOX = (
    "Overconfidence paradox: the team rates itself high, is very sure, and the client disagrees."
)
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


def percent(share: float) -> str:
    return f"{share * 100:.0f} %"


def number(value: float) -> str:
    """65.0 -> "65", 62.5 -> "62.5", 0.7333 -> "0.73"."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def quorum_condition(respondents: int, quorum: int) -> Condition:
    passed = respondents >= quorum
    if passed:
        explanation = (
            f"{respondents} team members answered independently; the review needed {quorum}."
        )
    else:
        explanation = (
            f"Only {respondents} of the {quorum} required team members answered, "
            "so the team's view is not established."
        )
    return Condition(
        key="quorum",
        label="Enough independent answers",
        measured=f"{respondents} respondent{'s' if respondents != 1 else ''} submitted",
        threshold=f"at least {quorum} (this review's quorum)",
        passed=passed,
        explanation=explanation,
        measured_value=float(respondents),
        threshold_value=float(quorum),
    )


def vote_share_condition(category: Category, scores: ReviewScores, t: Thresholds) -> Condition:
    votes, respondents = scores.votes[category.key], scores.respondents
    share = votes / respondents
    bar = percent(t.vote_share)
    passed = votes >= 1 and share >= t.vote_share - TOLERANCE
    chose = f"{votes} of {respondents} respondent{'s' if respondents != 1 else ''}"
    if passed:
        explanation = f"{chose} independently chose '{category.name}', meeting the {bar} bar."
    elif votes == 0:
        explanation = f"Nobody chose '{category.name}'."
    else:
        explanation = f"Only {chose} chose '{category.name}'; confirming it needs at least {bar}."
    return Condition(
        key="vote_share",
        label="A clear majority chose the category",
        measured=f"{chose} ({percent(share)})",
        threshold=f"at least {bar}, and at least one vote",
        passed=passed,
        explanation=explanation,
        measured_value=share,
        threshold_value=t.vote_share,
    )


def team_agreement_condition(agreement: Agreement, t: Thresholds) -> tuple[Condition, str]:
    """The condition and which figure decided it: "unanimous", "alpha" or "companion"."""
    alpha, pairable, units = agreement.alpha, agreement.pairable_values, agreement.units
    share = agreement.within_one_share
    threshold = (
        f"alpha at least {t.alpha_tentative:.3f} given {t.min_pairable_for_alpha}+ pairable "
        f"values on {t.min_units_for_alpha}+ dimensions; otherwise at least "
        f"{percent(t.within_one_share)} of ratings within one point of the median"
    )
    companion_passes = share is not None and share >= t.within_one_share - TOLERANCE
    companion = (
        "" if share is None else f"{percent(share)} of ratings within one point of the median"
    )

    def result(measured, passed, explanation, value, bar, decided_by) -> tuple[Condition, str]:
        condition = Condition(
            key="team_agreement",
            label="The team agrees on the linked dimensions",
            measured=measured,
            threshold=threshold,
            passed=passed,
            explanation=explanation,
            measured_value=value,
            threshold_value=bar,
        )
        return condition, decided_by

    if agreement.state == "unanimous":
        return result(
            f"unanimous: all {pairable} pairable ratings are identical",
            True,
            "Every member gave the same rating on the linked dimensions: full agreement "
            "(alpha is undefined when there is no disagreement at all).",
            share,
            None,
            "unanimous",
        )
    if agreement.state == "too_few":
        return result(
            f"too few ratings: {agreement.raters} member(s), {pairable} pairable values",
            False,
            "No linked dimension was rated by two or more members, so agreement cannot be judged, "
            "and that never counts as agreement (the companion figure has nothing to go on).",
            None,
            t.within_one_share,
            "companion",
        )

    measured = f"alpha {alpha:.3f} on {pairable} pairable values over {units} dimension(s); "
    measured += companion
    if pairable >= t.min_pairable_for_alpha and units >= t.min_units_for_alpha:
        passed = alpha >= t.alpha_tentative - TOLERANCE
        decided = f"Alpha decided: {alpha:.3f}"
        if alpha >= t.alpha_reliable - TOLERANCE:
            explanation = f"{decided} is at least {t.alpha_reliable:.3f}: reliable agreement."
        elif passed:
            explanation = (
                f"{decided} lies between {t.alpha_tentative:.3f} and {t.alpha_reliable:.3f}: "
                "the team agrees, but only tentatively."
            )
        else:
            explanation = (
                f"{decided} is below {t.alpha_tentative:.3f}: too little agreement to draw "
                "conclusions."
            )
            if companion_passes:
                explanation += (
                    f" (The companion figure, {companion}, would pass, but with this much data "
                    "alpha decides.)"
                )
        return result(measured, passed, explanation, alpha, t.alpha_tentative, "alpha")

    explanation = (
        f"The companion figure decided: with {pairable} pairable values on {units} "
        f"dimension(s), alpha ({alpha:.3f}) is too shaky (it needs {t.min_pairable_for_alpha} "
        f"values on {t.min_units_for_alpha}+ dimensions). {_capitalised(companion)}, "
        f"{'meeting' if companion_passes else 'below'} the {percent(t.within_one_share)} bar."
    )
    return result(measured, companion_passes, explanation, share, t.within_one_share, "companion")


def _waiver_note(data: ReviewData) -> str:
    return f"not assessed (one-sided, waived: {data.waiver_reason.strip()})"


def corroboration_condition(key: str, data: ReviewData, scores: ReviewScores) -> Condition:
    title = data.catalogue.dimension(key).title
    limit = scores.gap_threshold
    stats = scores.stats_for(key)

    def result(measured, passed, explanation, gap=None) -> Condition:
        return Condition(
            key=f"corroboration:{key}",
            label=f"The client corroborates: {title}",
            measured=measured,
            threshold=f"team mean at most {number(limit)} above the client's rating",
            passed=passed,
            explanation=explanation,
            measured_value=gap,
            threshold_value=limit,
        )

    if stats is None:  # checked first: a waiver excuses the client, not the team
        return result(
            "no team ratings",
            False,
            "No team member rated this dimension, so there is nothing to corroborate.",
        )
    if data.waived:
        note = _waiver_note(data)
        return result(note, True, _capitalised(note) + ".")
    if data.client is None:
        return result("no client view", False, f"No client view: {MISSING_CLIENT}.")
    if stats.client_rating is None:
        return result(
            f"team mean {stats.team_mean:.2f}; no client rating",
            False,
            f"The client did not rate this dimension, and {MISSING_CLIENT}.",
        )
    gap = stats.gap
    measured = f"team mean {stats.team_mean:.2f} vs client {stats.client_rating}: gap {gap:+.2f}"
    above = f"The team rates itself {gap:.2f} points above the client"
    if gap <= 0:
        return result(
            measured, True, "The client rates the agency at least as high as the team does.", gap
        )
    if gap <= limit + TOLERANCE:
        explanation = f"{above}, within the {number(limit)} allowed at this complexity."
        return result(measured, True, explanation, gap)
    explanation = (
        f"{above}, more than the {number(limit)} allowed at this complexity: "
        "the client's view does not support the team's."
    )
    return result(measured, False, explanation, gap)


def overconfidence_condition(
    category: Category, data: ReviewData, scores: ReviewScores
) -> Condition:
    linked = set(category.dimension_keys)
    flags = [flag for flag in scores.flags if flag.dimension_key in linked]
    team_flags = [flag for flag in flags if flag.who == TEAM]
    member_flags = [flag for flag in flags if flag.who != TEAM]

    def title(key: str) -> str:
        return data.catalogue.dimension(key).title

    def result(measured, passed, explanation) -> Condition:
        return Condition(
            key="overconfidence",
            label="No overconfidence paradox",
            measured=measured,
            threshold=(
                f"no linked dimension where the team mean is {number(scores.gap_threshold)}+ "
                f"above the client at a mean confidence of {number(scores.confidence_threshold)} %+"
            ),
            passed=passed,
            explanation=explanation,
            measured_value=float(len(team_flags)),
            threshold_value=0.0,
        )

    if data.waived:
        note = _waiver_note(data)
        return result(note, True, _capitalised(note) + ".")
    if data.client is None:
        return result(
            "not assessed: no client view",
            True,
            "Not assessed: there is no client view to compare with (see the client view).",
        )
    members = ""
    if member_flags:
        members = (
            " Flagged individually (shown, not deciding): "
            + "; ".join(
                f"{flag.who} on {title(flag.dimension_key)} (rating {flag.rating_or_mean:g} "
                f"vs client {flag.client_rating}, {flag.confidence:g} % sure)"
                for flag in member_flags
            )
            + "."
        )
    if team_flags:
        details = "; ".join(
            f"on {title(flag.dimension_key)} the team mean is {flag.rating_or_mean:.2f} vs the "
            f"client's {flag.client_rating} (gap {flag.gap:.2f}) at a mean confidence of "
            f"{flag.confidence:.0f} %"
            for flag in team_flags
        )
        measured = "team flagged on " + ", ".join(title(flag.dimension_key) for flag in team_flags)
        return result(measured, False, f"{PARADOX} {_capitalised(details)}.{members}")
    measured = "no team flag" + (f"; {len(member_flags)} member flag(s)" if member_flags else "")
    explanation = (
        "On no linked dimension does the team rate itself well above the client while being "
        "very sure."
    )
    return result(measured, True, explanation + members)


def complexity_condition(scores: ReviewScores) -> Condition:
    median = scores.complexity_median
    label = COMPLEXITY_LABELS.get(int(median)) if median == int(median) else None
    adjusted = (
        f"gap threshold {number(scores.gap_threshold)}, "
        f"confidence threshold {number(scores.confidence_threshold)} %"
    )
    return Condition(
        key="complexity",
        label="Complexity adjustment",
        measured=f"median complexity {number(median)}" + (f" ({label})" if label else ""),
        threshold=adjusted,
        passed=True,
        explanation=(
            "Informational: the more complex the project, the stricter the check "
            f"(hard-easy effect): median complexity {number(median)} → {adjusted}."
        ),
        measured_value=median,
        threshold_value=scores.gap_threshold,
    )


def client_view_condition(data: ReviewData) -> Condition:
    if data.client is not None:
        passed, measured = True, f"client rated {len(data.client.ratings)} dimension(s)"
        explanation = "The client's own view is recorded."
        if data.waiver_reason and data.waiver_reason.strip():
            explanation += " The waiver reason is not needed and is ignored."
    elif data.waived:
        passed, measured = True, "no client view (waived)"
        explanation = (
            f'No client view; the lead waived it: "{data.waiver_reason.strip()}". '
            "The decision will be marked one-sided."
        )
    else:
        passed, measured = False, "no client view"
        explanation = (
            f"No client view: {MISSING_CLIENT}; record a waiver reason to decide one-sided."
        )
    return Condition(
        key="client_view",
        label="The client's view is recorded",
        measured=measured,
        threshold="a client view, or a recorded reason to decide without one",
        passed=passed,
        explanation=explanation,
    )
