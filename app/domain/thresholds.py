"""Every threshold of the agreement rule, with its default and the anchor it rests on.

Defaults (one place; a deployment overrides them by name through `Thresholds.from_mapping`):

- quorum = 3 respondents. 360-degree feedback tools show a group's numbers only from
  three raters up; below that, anonymity among colleagues is gone.
- vote_share = 2/3 of respondents must independently choose the category. A clear
  majority is more than half; blacklisting a client is a weighty group decision, and
  two thirds is the common bar for those.
- alpha_reliable = 0.800 and alpha_tentative = 0.667 (Krippendorff's alpha, ordinal).
  Krippendorff: rely on data with alpha >= 0.800, draw only tentative conclusions
  between 0.667 and 0.800, and none below.
- within_one_share = 0.75: the plain companion figure, the share of ratings that lie
  within one scale point of their dimension's median. Three in four is the bar.
- min_pairable_for_alpha = 10 and min_units_for_alpha = 2: alpha decides only with
  at least 10 pairable values spread over at least 2 dimensions; otherwise the
  companion figure decides. Alpha is shaky on small teams (one dissent can swing it,
  and its published sample-size tables ask for dozens of values); on a single
  dimension it is 0 by construction whatever the ratings.
- base_gap = 4/3 points: 360-degree tools treat a self-versus-others gap above about a
  third of the scale's range as significant; the 1-5 scale spans 4 points.
- gap_step = 0.2 points and confidence_step = 5 percentage points per complexity
  point above 1; min_gap = 0.5, base_confidence = 80 %, min_confidence = 60 %.

Complexity (the hard-easy effect, Lichtenstein & Fischhoff 1977: people are most
overconfident on hard tasks) tightens the check linearly, with a floor:

    gap threshold        = max(min_gap,        base_gap        - gap_step        * (c - 1))
    confidence threshold = max(min_confidence, base_confidence - confidence_step * (c - 1))

where c is the median of the team's complexity ratings (1-5). With the defaults:

    c                     1     2     3     4     5
    gap threshold       1.33  1.13  0.93  0.73  0.53
    confidence (%)        80    75    70    65    60

A team's rating on a dimension is "corroborated" when it exceeds the client's by at
most the gap threshold; it is "overconfident" when it exceeds the client's by at
least the gap threshold while the stated confidence is at least the confidence
threshold.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from fractions import Fraction

from app.domain.catalogue import COMPLEXITY_SCALE, CONFIDENCE_RANGE, SCALE
from app.domain.errors import ComplexityOutOfRange, InvalidThresholds

_SCALE_RANGE = SCALE[-1] - SCALE[0]


@dataclass(frozen=True)
class Thresholds:
    """The tunable numbers of the agreement rule (see the module docstring for the anchors)."""

    quorum: int = 3
    """Default quorum for new reviews: 360-degree tools show group numbers from three raters."""

    vote_share: float = 2 / 3
    """Share of respondents who must choose a category: two thirds, for weighty decisions."""

    alpha_reliable: float = 0.800
    """Krippendorff: alpha at or above 0.800 is reliable."""

    alpha_tentative: float = 0.667
    """Krippendorff: alpha from 0.667 up supports tentative conclusions; below it, none."""

    within_one_share: float = 0.75
    """Companion figure: share of ratings within one point of their dimension's median."""

    min_pairable_for_alpha: int = 10
    """Pairable values (ratings on dimensions rated by two or more members) alpha needs to decide.

    10 is e.g. five members on two dimensions. Below it one dissenting rating is over a
    tenth of the data and can move alpha across both of Krippendorff's bars, so the
    companion figure decides instead. This is a pragmatic floor, not a statistical
    guarantee: Krippendorff's sample-size tables ask for far more than any team gives.
    """

    min_units_for_alpha: int = 2
    """Dimensions with pairable values that alpha needs to decide.

    Alpha compares disagreement within dimensions to disagreement across them; on a
    single dimension the two are the same and alpha is 0 whatever the ratings.
    """

    base_gap: float = 4 / 3
    """Largest tolerated team-minus-client gap at complexity 1: a third of the 1-5 range.

    360-degree tools treat a self-versus-others gap above about a third of the range as significant.
    """

    gap_step: float = 0.2
    """Gap tolerance removed per complexity point above 1 (hard-easy effect)."""

    min_gap: float = 0.5
    """The gap threshold never drops below half a point, so rounding noise never fails a review."""

    base_confidence: float = 80
    """Confidence (%) from which a large gap counts as overconfidence at complexity 1."""

    confidence_step: float = 5
    """Percentage points removed from the confidence threshold per complexity point above 1."""

    min_confidence: float = 60
    """The confidence threshold never drops below 60 %, well above a coin-flip's 50 %."""

    def __post_init__(self) -> None:
        problems = _range_problems(self)
        if problems:
            raise InvalidThresholds("Invalid thresholds: " + "; ".join(problems) + ".")

    def gap_threshold(self, complexity_median: float) -> float:
        """max(min_gap, base_gap - gap_step * (complexity_median - 1))."""
        steps = _complexity_steps(complexity_median)
        return max(self.min_gap, self.base_gap - self.gap_step * steps)

    def confidence_threshold(self, complexity_median: float) -> float:
        """max(min_confidence, base_confidence - confidence_step * (complexity_median - 1))."""
        steps = _complexity_steps(complexity_median)
        return max(self.min_confidence, self.base_confidence - self.confidence_step * steps)

    def to_dict(self) -> dict[str, float | int]:
        return asdict(self)

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, str | float | int]) -> Thresholds:
        """Defaults overridden by name; values may be text, e.g. from environment variables.

        Text is read as a number ("0.75", "2/3", "3"); whole-number fields refuse
        fractions. Unknown names and out-of-range values raise InvalidThresholds.
        """
        known = {field.name: field for field in fields(cls)}
        overrides: dict[str, float | int] = {}
        problems: list[str] = []
        for raw_name, raw_value in mapping.items():
            name = str(raw_name).strip().lower()
            if name not in known:
                problems.append(f"unknown threshold '{raw_name}' (known: {', '.join(known)})")
                continue
            whole = known[name].type in ("int", int)
            try:
                overrides[name] = _parse_number(raw_value, whole=whole)
            except ValueError as error:
                problems.append(f"{name}: {error}")
        if problems:
            raise InvalidThresholds("Invalid thresholds: " + "; ".join(problems) + ".")
        return cls(**overrides)


def _complexity_steps(complexity_median: float) -> float:
    low, high = COMPLEXITY_SCALE[0], COMPLEXITY_SCALE[-1]
    if not (isinstance(complexity_median, int | float) and low <= complexity_median <= high):
        raise ComplexityOutOfRange(
            f"The complexity median must lie between {low} and {high}, not {complexity_median!r}."
        )
    return complexity_median - low


def _parse_number(value: object, *, whole: bool) -> float | int:
    if isinstance(value, bool):
        raise ValueError("expected a number, not true/false")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"expected a finite number, not {value!r}")
    try:
        number = Fraction(value.strip()) if isinstance(value, str) else Fraction(value)
    except (TypeError, ValueError, ZeroDivisionError):
        raise ValueError(f"expected a number, not {value!r}") from None
    if whole:
        if number.denominator != 1:
            raise ValueError(f"expected a whole number, not {value!r}")
        return int(number)
    return float(number)


def _range_problems(t: Thresholds) -> list[str]:
    problems: list[str] = []

    def need(ok: bool, message: str) -> None:
        if not ok:
            problems.append(message)

    for name in ("quorum", "min_pairable_for_alpha", "min_units_for_alpha"):
        value = getattr(t, name)
        need(
            isinstance(value, int) and not isinstance(value, bool), f"{name} must be a whole number"
        )
    for field in fields(t):
        value = getattr(t, field.name)
        need(
            isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value),
            f"{field.name} must be a finite number",
        )
    if problems:
        return problems

    low_conf, high_conf = CONFIDENCE_RANGE
    need(t.quorum >= 1, "quorum must be at least 1")
    need(0 < t.vote_share <= 1, "vote_share must be above 0 and at most 1")
    need(
        0 < t.alpha_tentative <= t.alpha_reliable <= 1,
        "need 0 < alpha_tentative <= alpha_reliable <= 1",
    )
    need(0 < t.within_one_share <= 1, "within_one_share must be above 0 and at most 1")
    need(t.min_pairable_for_alpha >= 2, "min_pairable_for_alpha must be at least 2")
    need(
        t.min_units_for_alpha >= 2,
        "min_units_for_alpha must be at least 2 (alpha is 0 on one unit)",
    )
    need(
        0 < t.min_gap <= t.base_gap <= _SCALE_RANGE,
        f"need 0 < min_gap <= base_gap <= {_SCALE_RANGE}",
    )
    need(t.gap_step >= 0, "gap_step must not be negative")
    need(
        low_conf <= t.min_confidence <= t.base_confidence <= high_conf,
        f"need {low_conf} <= min_confidence <= base_confidence <= {high_conf}",
    )
    need(t.confidence_step >= 0, "confidence_step must not be negative")
    return problems
