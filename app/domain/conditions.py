"""One function per condition of the agreement rule, each returning a Condition as data.

A Condition says which rule (`code`, and `subject`: the dimension for a per-dimension
condition), whether it passed, which case applied (`reason`), the measured value and
the bar, and the `params` a sentence needs. It holds no words: the web layer turns
(code, reason, params) into a sentence through gettext (app/templates/_macros/
verdicts.html), so a verdict reads in the reader's language, and an archived one too.

The rule itself, and the order of the conditions, is described in app/domain/verdict.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from app.domain.agreement import Agreement
from app.domain.catalogue import Category
from app.domain.scoring import TOLERANCE, ReviewData, ReviewScores
from app.domain.thresholds import Thresholds


@dataclass(frozen=True)
class Condition:
    """One condition's outcome. `assessed` is False for "not assessed" (no client rating):
    such a condition passes only when the lead gave a written reason (a waiver)."""

    code: str
    passed: bool
    reason: str
    subject: str | None = None
    measured: float | None = None
    bar: float | None = None
    params: Mapping[str, Any] = field(default_factory=dict)
    assessed: bool = True

    @property
    def key(self) -> str:
        return f"{self.code}:{self.subject}" if self.subject else self.code


def quorum_condition(respondents: int, quorum: int, t: Thresholds) -> Condition:
    """Enough distinct respondents: the review's quorum and never fewer than min_respondents."""
    needed = max(quorum, t.min_respondents)
    passed = respondents >= needed
    return Condition(
        code="quorum",
        passed=passed,
        reason="met" if passed else "short",
        measured=float(respondents),
        bar=float(needed),
        params={
            "respondents": respondents,
            "quorum": quorum,
            "min_respondents": t.min_respondents,
            "lowered_minimum": t.lowered_min_respondents,
        },
    )


def vote_share_condition(category: Category, scores: ReviewScores, t: Thresholds) -> Condition:
    votes, respondents = scores.votes[category.key], scores.respondents
    share = votes / respondents
    passed = votes >= 1 and share >= t.vote_share - TOLERANCE
    reason = "met" if passed else ("none" if votes == 0 else "short")
    return Condition(
        code="vote_share",
        passed=passed,
        reason=reason,
        measured=share,
        bar=t.vote_share,
        params={"votes": votes, "respondents": respondents},
    )


def team_agreement_condition(agreement: Agreement) -> Condition:
    per_dimension = [
        {
            "dimension": d.dimension_key,
            "raters": d.raters,
            "rwg": d.rwg,
            "ad": d.ad,
            "chance": d.chance,
        }
        for d in agreement.dimensions
    ]
    params = {
        "dimensions": per_dimension,
        "disagreeing": list(agreement.disagreeing_dimensions),
        "weakest_dimension": agreement.weakest_dimension,
        "alpha": agreement.alpha,
        "pairable_values": agreement.pairable_values,
        "raters": agreement.raters,
        "chance": agreement.chance,
        "chance_exact": agreement.chance_exact,
        "chance_bar": agreement.chance_bar,
    }
    return Condition(
        code="team_agreement",
        passed=agreement.agrees,
        reason=agreement.state,
        measured=agreement.weakest_rwg,
        bar=agreement.bar,
        params=params,
    )


def corroboration_condition(key: str, data: ReviewData, scores: ReviewScores) -> Condition:
    limit = scores.gap_threshold
    stats = scores.stats_for(key)

    def result(reason: str, passed: bool, assessed: bool = True, **params: Any) -> Condition:
        return Condition(
            code="corroboration",
            subject=key,
            passed=passed,
            reason=reason,
            measured=params.get("gap"),
            bar=limit,
            params=params,
            assessed=assessed,
        )

    if stats is None:  # checked first: a waiver excuses the client, not the team
        return result("not_rated_by_team", False)
    waived = data.has_waiver_reason
    if data.client is None:
        return result("no_client_waived" if waived else "no_client", waived, assessed=False)
    if stats.client_rating is None:
        # The client skipped this statement: not assessed, like a missing view, per dimension.
        return result(
            "skipped_waived" if waived else "skipped",
            waived,
            assessed=False,
            team_mean=stats.team_mean,
        )
    figures = {"team_mean": stats.team_mean, "client": stats.client_rating, "gap": stats.gap}
    if stats.gap <= 0:
        return result("client_higher", True, **figures)
    if stats.gap <= limit + TOLERANCE:
        return result("within", True, **figures)
    return result("above", False, **figures)


def overconfidence_condition(category: Category, scores: ReviewScores) -> Condition:
    """The gate: on no linked dimension may the team's gap, with sure members' over-rating
    counted sure_weight times, exceed the gap threshold."""
    linked = category.dimension_keys
    assessed = [
        stats
        for key in linked
        if (stats := scores.stats_for(key)) is not None and stats.weighted_gap is not None
    ]
    members = [
        {
            "who": flag.who,
            "dimension": flag.dimension_key,
            "rating": int(flag.rating_or_mean),
            "client": flag.client_rating,
            "confidence": flag.confidence,
        }
        for flag in scores.flags
        if flag.dimension_key in linked
    ]
    blocked = [
        {
            "dimension": stats.dimension_key,
            "team_mean": stats.team_mean,
            "client": stats.client_rating,
            "gap": stats.gap,
            "weighted_gap": stats.weighted_gap,
            "sure_over_raters": stats.sure_over_raters,
            "over_raters": stats.over_raters,
        }
        for stats in assessed
        if stats.team_flagged
    ]
    params = {
        "blocked": blocked,
        "members": members,
        "sure_confidence": scores.confidence_threshold,
        "sure_gap": scores.sure_gap_threshold,
        "sure_weight": scores.sure_weight,
    }
    if not assessed:
        # Nothing to compare with: the client gave no rating on a linked dimension. The
        # corroboration and client-view conditions say whether that may pass.
        return Condition(
            code="overconfidence",
            passed=True,
            reason="not_assessed",
            bar=scores.gap_threshold,
            params=params,
            assessed=False,
        )
    worst = max(stats.weighted_gap for stats in assessed)
    return Condition(
        code="overconfidence",
        passed=not blocked,
        reason="blocked" if blocked else "clear",
        measured=worst,
        bar=scores.gap_threshold,
        params=params,
    )


def complexity_condition(scores: ReviewScores) -> Condition:
    """Informational: the level the check used, and the team's own ratings beside it."""
    harder = scores.complexity_median > scores.complexity
    return Condition(
        code="complexity",
        passed=True,
        reason="team_rated_harder" if harder else "info",
        measured=float(scores.complexity),
        bar=scores.gap_threshold,
        params={
            "level": scores.complexity,
            "team_median": scores.complexity_median,
            "gap": scores.gap_threshold,
            "sure_confidence": scores.confidence_threshold,
            "sure_gap": scores.sure_gap_threshold,
        },
    )


def client_view_condition(category: Category, data: ReviewData) -> Condition:
    """The client's view is recorded (link or lead), or the lead wrote why to decide without it."""
    client = data.client
    if client is None:
        waived = data.has_waiver_reason
        return Condition(
            code="client_view",
            passed=waived,
            reason="waived" if waived else "missing",
            params={"waiver": data.waiver_reason.strip() if waived else None},
            assessed=False,
        )
    skipped = [key for key in category.dimension_keys if key not in client.ratings]
    params = {
        "source": client.source,
        "recorded_by": client.recorded_by,
        "quote": client.quote,
        "answered": len(client.ratings),
        "skipped_linked": skipped,
        "waiver": data.waiver_reason.strip() if skipped and data.has_waiver_reason else None,
    }
    return Condition(
        code="client_view",
        passed=True,
        reason="recorded" if client.source == "lead" else "given",
        params=params,
    )
