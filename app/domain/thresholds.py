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
- agreement_chance = 1/20: and random answering may look at least as agreed on every
  linked dimension at once with a chance of at most 5 %, the level at which Dunlap,
  Burke & Smith-Crowe (2003) give r_wg's critical values for small groups (Harvey &
  Hollander, 2004: small groups reach 0.70 by luck). 1 turns this check off.
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
from dataclasses import asdict, dataclass, field, fields
from fractions import Fraction
from typing import Any

from app.domain.catalogue import COMPLEXITY_SCALE, CONFIDENCE_RANGE, SCALE
from app.domain.errors import ComplexityOutOfRange, InvalidThresholds

_SCALE_RANGE = SCALE[-1] - SCALE[0]
DEFAULT_MIN_RESPONDENTS = 3
ABSOLUTE_MIN_RESPONDENTS = 2  # one respondent's answers are never an "aggregate"

# Every code a ThresholdProblem can carry, with the params it comes with ("value" is the
# value as given, or as parsed for range checks). The operator's wording of each lives
# in app/services/thresholds.py.
PROBLEM_CODES = (
    "unknown_threshold",  # given, known (no name: the given one is not a threshold)
    "boolean_given",  # value: true/false is not a number, although bool is an int
    "not_a_number",  # value: text (or object) that does not read as a number
    "not_finite",  # value: infinity, NaN, or anything that is not a real number
    "not_whole",  # value: a fraction (or non-integer) for a whole-number threshold
    "below_minimum",  # value, minimum (min_respondents: at least two)
    "quorum_below_min_respondents",  # value, min_respondents
    "out_of_range",  # value, low, high, low_open, high_open (open: the bar itself is out)
    "sure_weight_too_low",  # value, minimum (must be above it)
    "gap_order",  # min_gap, base_gap, high: need 0 < min_gap <= base_gap <= high
    "confidence_order",  # min_confidence, base_confidence, low, high: low <= min <= base <= high
    "negative_step",  # value: a step must not loosen the check as complexity rises
)


@dataclass(frozen=True)
class ThresholdProblem:
    """One thing wrong with a threshold setting: a code from PROBLEM_CODES, the threshold
    it concerns (None when it concerns several, or a name that is not a threshold) and
    the parameters a sentence needs."""

    code: str
    name: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:  # for logs and the command line only
        details = ", ".join(f"{k}={v!r}" for k, v in sorted(self.params.items()))
        where = f"{self.name}: " if self.name else ""
        return f"{where}{self.code}" + (f" ({details})" if details else "")


@dataclass(frozen=True)
class Thresholds:
    """The tunable numbers of the agreement rule (see the module docstring for the anchors)."""

    #: Distinct respondents needed before results are shown or anything is confirmed (>= 2).
    min_respondents: int = 3

    #: Default quorum for new reviews; never below min_respondents.
    quorum: int = 3

    #: Share of respondents who must choose a category: two thirds, for weighty decisions.
    vote_share: float = 2 / 3

    #: r_wg every linked dimension must reach (James, Demaree & Wolf 1984; bar 0.70).
    rwg_agreement: float = 0.70

    #: Largest chance that random answering looks as agreed on every linked dimension (5 %).
    agreement_chance: float = 1 / 20

    #: Largest tolerated team-minus-client gap at complexity 1: a third of the 1-5 range.
    #:
    #: 360-degree tools treat a self-versus-others gap above about a third of the range as
    #: significant.
    base_gap: float = 4 / 3

    #: Gap tolerance removed per complexity point above 1 (hard-easy effect).
    gap_step: float = 0.2

    #: The gap threshold never drops below half a point, so rounding noise never fails a review.
    min_gap: float = 0.5

    #: Confidence (%) from which a large gap counts as overconfidence at complexity 1.
    base_confidence: float = 80

    #: Percentage points removed from the confidence threshold per complexity point above 1.
    confidence_step: float = 5

    #: The confidence threshold never drops below 60 %, well above a coin-flip's 50 %.
    min_confidence: float = 60

    #: How much more a sure member's over-rating counts; > 1, so a sure team gets less slack.
    sure_weight: float = 1.5

    #: The complexity level a new review starts with ("moderate"), before the lead changes it.
    default_complexity_floor: int = 3

    def __post_init__(self) -> None:
        problems = _range_problems(self)
        if problems:
            raise InvalidThresholds(problems)

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
        fractions. Unknown names and unreadable or out-of-range values raise
        InvalidThresholds, whose `problems` lists every one of them (ThresholdProblem).
        """
        known = {item.name: item for item in fields(cls)}
        overrides: dict[str, float | int] = {}
        problems: list[ThresholdProblem] = []
        for raw_name, raw_value in mapping.items():
            name = str(raw_name).strip().lower()
            if name not in known:
                problems.append(
                    ThresholdProblem(
                        "unknown_threshold", params={"given": str(raw_name), "known": tuple(known)}
                    )
                )
                continue
            whole = known[name].type in ("int", int)
            parsed = _parse_number(name, raw_value, whole=whole)
            if isinstance(parsed, ThresholdProblem):
                problems.append(parsed)
            else:
                overrides[name] = parsed
        if problems:
            raise InvalidThresholds(problems)
        if "min_respondents" in overrides and "quorum" not in overrides:
            # A stricter minimum lifts the default quorum with it.
            overrides["quorum"] = max(cls.quorum, overrides["min_respondents"])
        return cls(**overrides)


def _complexity_steps(complexity: float) -> float:
    low, high = COMPLEXITY_SCALE[0], COMPLEXITY_SCALE[-1]
    if not (isinstance(complexity, int | float) and low <= complexity <= high):
        raise ComplexityOutOfRange(value=complexity, low=low, high=high)
    return complexity - low


def _parse_number(name: str, value: object, *, whole: bool) -> float | int | ThresholdProblem:
    """The number the value stands for, or the problem that keeps it from being one."""

    def problem(code: str) -> ThresholdProblem:
        return ThresholdProblem(code, name, {"value": value})

    if isinstance(value, bool):
        return problem("boolean_given")
    if isinstance(value, float) and not math.isfinite(value):
        return problem("not_finite")
    try:
        number = Fraction(value.strip()) if isinstance(value, str) else Fraction(value)
    except (TypeError, ValueError, ZeroDivisionError):
        return problem("not_a_number")
    if whole:
        if number.denominator != 1:
            return problem("not_whole")
        return int(number)
    return float(number)


def _range_problems(t: Thresholds) -> list[ThresholdProblem]:
    problems: list[ThresholdProblem] = []

    def need(ok: bool, code: str, name: str | None = None, **params: Any) -> None:
        if not ok:
            if name is not None:
                params = {"value": getattr(t, name), **params}
            problems.append(ThresholdProblem(code, name, params))

    for name in ("min_respondents", "quorum", "default_complexity_floor"):
        value = getattr(t, name)
        need(isinstance(value, int) and not isinstance(value, bool), "not_whole", name)
    for item in fields(t):
        value = getattr(t, item.name)
        need(
            isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value),
            "not_finite",
            item.name,
        )
    if problems:
        return problems

    low_conf, high_conf = CONFIDENCE_RANGE
    low_complexity, high_complexity = COMPLEXITY_SCALE[0], COMPLEXITY_SCALE[-1]
    need(
        t.min_respondents >= ABSOLUTE_MIN_RESPONDENTS,
        "below_minimum",
        "min_respondents",
        minimum=ABSOLUTE_MIN_RESPONDENTS,
    )
    need(
        t.quorum >= t.min_respondents,
        "quorum_below_min_respondents",
        "quorum",
        min_respondents=t.min_respondents,
    )
    # Shares in (0, 1]: 1 means "every respondent" and "the chance check is off".
    for name in ("vote_share", "agreement_chance"):
        share = getattr(t, name)
        need(0 < share <= 1, "out_of_range", name, low=0, high=1, low_open=True, high_open=False)
    need(
        0 < t.rwg_agreement < 1,
        "out_of_range",
        "rwg_agreement",
        low=0,
        high=1,
        low_open=True,
        high_open=True,
    )
    need(t.sure_weight > 1, "sure_weight_too_low", "sure_weight", minimum=1)
    need(
        low_complexity <= t.default_complexity_floor <= high_complexity,
        "out_of_range",
        "default_complexity_floor",
        low=low_complexity,
        high=high_complexity,
        low_open=False,
        high_open=False,
    )
    need(
        0 < t.min_gap <= t.base_gap <= _SCALE_RANGE,
        "gap_order",
        min_gap=t.min_gap,
        base_gap=t.base_gap,
        high=_SCALE_RANGE,
    )
    need(t.gap_step >= 0, "negative_step", "gap_step")
    need(
        low_conf <= t.min_confidence <= t.base_confidence <= high_conf,
        "confidence_order",
        min_confidence=t.min_confidence,
        base_confidence=t.base_confidence,
        low=low_conf,
        high=high_conf,
    )
    need(t.confidence_step >= 0, "negative_step", "confidence_step")
    return problems
