"""Every threshold of the agreement rule, with its default and the anchor it rests on.

Defaults (one place; a deployment overrides them by name through `Thresholds.from_mapping`,
which the app feeds from CANDOR_THRESHOLD_<NAME> variables). docs/agreement-rule.md
explains each in plain words.

- min_respondents = 3 (never below 2): results are shown, and a category can be
  confirmed, only from this many distinct respondents. 360-degree feedback tools show a
  group's numbers only from three raters up; with two, each reads the other's answers
  off the "anonymous" aggregate. quorum (default for new reviews) is at least this.
- vote_share = 2/3 of respondents must independently choose the category: a clear
  majority is more than half, and blacklisting a client is a weighty group decision.
- rwg_agreement = 0.70: within-group agreement r_wg (James, Demaree & Wolf, 1984) on
  every linked dimension, against a uniform null (random answering on the five points,
  variance (5^2 - 1) / 12 = 2). 0.70 is the customary bar (LeBreton & Senter, 2008).
- base_gap = 4/3 points: 360-degree tools treat a self-versus-others gap above about a
  third of the scale's range as significant; the 1-5 scale spans 4 points.
- gap_step = 0.2 points per complexity level above 1, min_gap = 0.5: the hard-easy
  effect (Lichtenstein & Fischhoff, 1977) - people are most overconfident on hard tasks.
- base_confidence = 80 %, confidence_step = 5 points per level, min_confidence = 60 %:
  from this stated confidence a member counts as *sure*.
- sure_weight = 1.5: over-rating by a sure member counts one and a half times, so a
  sure team is blocked from gap_threshold / 1.5 on (calibration research: judges who
  say they are sure err more often than they think, most of all on hard tasks).
- default_complexity_floor = 3 ("moderate"): the complexity level a new review starts
  with; the lead sets it before any answer exists.

Complexity tightens the check linearly, with a floor, where c is the review's
complexity level (set by the lead when opening the review):

    gap threshold        = max(min_gap,        base_gap        - gap_step        * (c - 1))
    sure threshold       = max(min_confidence, base_confidence - confidence_step * (c - 1))
    sure gap threshold   = gap threshold / sure_weight

    c                     1     2     3     4     5
    gap threshold       1.33  1.13  0.93  0.73  0.53
    sure from (%)         80    75    70    65    60
    sure gap threshold  0.89  0.76  0.62  0.49  0.36
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from fractions import Fraction

from app.domain.catalogue import COMPLEXITY_SCALE, CONFIDENCE_RANGE, SCALE
from app.domain.errors import ComplexityOutOfRange, InvalidThresholds

_SCALE_RANGE = SCALE[-1] - SCALE[0]
DEFAULT_MIN_RESPONDENTS = 3
ABSOLUTE_MIN_RESPONDENTS = 2  # one respondent's answers are never an "aggregate"


@dataclass(frozen=True)
class Thresholds:
    """The tunable numbers of the agreement rule (see the module docstring for the anchors)."""

    min_respondents: int = 3
    """Distinct respondents needed before results are shown or anything is confirmed (>= 2)."""

    quorum: int = 3
    """Default quorum for new reviews; never below min_respondents."""

    vote_share: float = 2 / 3
    """Share of respondents who must choose a category: two thirds, for weighty decisions."""

    rwg_agreement: float = 0.70
    """r_wg every linked dimension must reach (James, Demaree & Wolf 1984; bar 0.70)."""

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

    sure_weight: float = 1.5
    """How much more a sure member's over-rating counts; > 1, so a sure team gets less slack."""

    default_complexity_floor: int = 3
    """The complexity level a new review starts with ("moderate"), before the lead changes it."""

    def __post_init__(self) -> None:
        problems = _range_problems(self)
        if problems:
            raise InvalidThresholds(
                "Invalid thresholds: " + "; ".join(problems) + ".", problems=problems
            )

    def gap_threshold(self, complexity: float) -> float:
        """max(min_gap, base_gap - gap_step * (complexity - 1))."""
        steps = _complexity_steps(complexity)
        return max(self.min_gap, self.base_gap - self.gap_step * steps)

    def confidence_threshold(self, complexity: float) -> float:
        """From this confidence (%) a member is sure: max(min_confidence, base - step * (c - 1))."""
        steps = _complexity_steps(complexity)
        return max(self.min_confidence, self.base_confidence - self.confidence_step * steps)

    def sure_gap_threshold(self, complexity: float) -> float:
        """The gap from which a team whose over-raters are all sure is blocked (< gap_threshold)."""
        return self.gap_threshold(complexity) / self.sure_weight

    @property
    def lowered_min_respondents(self) -> bool:
        """True when the deployment allows results from fewer than three respondents."""
        return self.min_respondents < DEFAULT_MIN_RESPONDENTS

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
            raise InvalidThresholds(
                "Invalid thresholds: " + "; ".join(problems) + ".", problems=problems
            )
        if "min_respondents" in overrides and "quorum" not in overrides:
            # A stricter minimum lifts the default quorum with it.
            overrides["quorum"] = max(cls.quorum, overrides["min_respondents"])
        return cls(**overrides)


def _complexity_steps(complexity: float) -> float:
    low, high = COMPLEXITY_SCALE[0], COMPLEXITY_SCALE[-1]
    if not (isinstance(complexity, int | float) and low <= complexity <= high):
        raise ComplexityOutOfRange(
            f"The complexity must lie between {low} and {high}, not {complexity!r}.",
            value=complexity,
            low=low,
            high=high,
        )
    return complexity - low


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

    for name in ("min_respondents", "quorum", "default_complexity_floor"):
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
    need(
        t.min_respondents >= ABSOLUTE_MIN_RESPONDENTS,
        f"min_respondents must be at least {ABSOLUTE_MIN_RESPONDENTS}",
    )
    need(t.quorum >= t.min_respondents, "quorum must be at least min_respondents")
    need(0 < t.vote_share <= 1, "vote_share must be above 0 and at most 1")
    need(0 < t.rwg_agreement < 1, "rwg_agreement must be above 0 and below 1")
    need(t.sure_weight > 1, "sure_weight must be above 1 (a sure team gets less slack)")
    need(
        COMPLEXITY_SCALE[0] <= t.default_complexity_floor <= COMPLEXITY_SCALE[-1],
        f"default_complexity_floor must lie between {COMPLEXITY_SCALE[0]} "
        f"and {COMPLEXITY_SCALE[-1]}",
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
