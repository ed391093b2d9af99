"""How far team members agree among themselves about one target: their own delivery.

The team rates a single target, so the question is *within-group agreement*, not
reliability. Krippendorff's alpha answers another question (do raters tell units
apart?) and fails teams that agree: five members at (4,4,4,4,4) and (4,4,4,4,5) get
alpha 0. It is still computed, as information, and never decides.

What decides is r_wg (James, Demaree & Wolf, 1984) on each linked dimension:

    r_wg = 1 - s^2 / sigma_EU^2,   sigma_EU^2 = (A^2 - 1) / 12 = 2 for A = 5 points

where s^2 is the sample variance (n - 1) of the members' ratings and sigma_EU^2 the
variance of random answering spread evenly over the scale. Where the observed
variance exceeds random answering, r_wg is set to 0 (LeBreton & Senter, 2008). The
team agrees when r_wg reaches the bar (0.70, the customary one) on *every* linked
dimension: the weakest dimension decides, so agreement on one question cannot hide a
split on another.

Small teams reach that bar by luck (Harvey & Hollander, 2004): three members answering
at random are within one point of each other 23 % of the time. So the team agrees only
when, besides, random answering would look at least as agreed on every linked dimension
at once with a chance of at most `chance_bar` (5 % by default; app/domain/chance.py
computes it exactly up to 100 raters and bounds it above). Otherwise the state is
"chance": alike, but not beyond luck.

Properties this gives (each is a test in tests/unit/domain/test_agreement.py,
checked exhaustively for teams of 2 to 12):

- every rating within one point of the others: always agreement (r_wg >= 0.75);
- two camps of at least two members each, two or more points apart: never agreement in
  teams of up to 12 (up to 6 members, even one member two points from all others breaks
  it; from 13 on, two members two points from eleven others are tolerated);
- a member added at the median, or one rating moved one point toward the median,
  never turns agreement into disagreement;
- with 2 raters: r_wg reaches the bar exactly when the two ratings differ by at most
  one point (and luck alone does that half the time).

The average deviation index AD (Burke, Finkelstein & Dusig, 1999: the mean absolute
deviation from the mean) is reported beside r_wg in scale points, with its practical
bar c/6 = 0.83 on a five-point scale (Burke & Dunlap, 2002), as information.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

import krippendorff
import numpy as np

from app.domain.catalogue import SCALE
from app.domain.chance import RANDOM_VARIANCE, chance_of_agreement, is_exact, joint_chance
from app.domain.errors import RatingOutOfRange

AgreementState = Literal["agree", "chance", "disagree", "too_few"]


#: Burke & Dunlap (2002): AD at most c/6 (0.83 on five points) is practical agreement.
AD_PRACTICAL_BAR = len(SCALE) / 6

# Float variances such as 0.6 are not exact; a value equal to its bar on paper meets it.
_TOLERANCE = 1e-9


@dataclass(frozen=True)
class DimensionAgreement:
    """Agreement on one dimension. rwg, ad and chance are None with fewer than two raters.
    `agrees`: r_wg reaches the bar; `chance`: how often random answering looks at least
    this agreed."""

    dimension_key: str
    raters: int
    rwg: float | None
    ad: float | None
    agrees: bool
    chance: float | None
    chance_exact: bool = True  # False: chance is an upper bound (app/domain/chance.py)


@dataclass(frozen=True)
class Agreement:
    """Agreement on a category's linked dimensions.

    state: "agree" when every linked dimension reaches the bar and random answering would
    look at least as agreed on all of them with a chance of at most chance_bar; "chance"
    when every dimension reaches the bar but luck could explain it; "too_few" when any
    linked dimension has fewer than two raters (too little data never counts as
    agreement); "disagree" otherwise. chance is that joint chance (None when too_few).
    weakest_rwg is the lowest r_wg (None when too_few), weakest_dimension where it was
    measured. alpha is Krippendorff's ordinal alpha for information (None when undefined:
    fewer than two dimensions with two ratings, or every rating identical);
    pairable_values counts the ratings alpha used.
    """

    state: AgreementState
    dimensions: tuple[DimensionAgreement, ...]
    weakest_rwg: float | None
    weakest_dimension: str | None
    bar: float
    alpha: float | None
    pairable_values: int
    raters: int
    chance: float | None
    chance_bar: float

    @property
    def agrees(self) -> bool:
        return self.state == "agree"

    @property
    def chance_exact(self) -> bool:
        return all(d.chance_exact for d in self.dimensions)

    @property
    def disagreeing_dimensions(self) -> tuple[str, ...]:
        return tuple(d.dimension_key for d in self.dimensions if not d.agrees)


def rwg(ratings: Iterable[int]) -> float | None:
    """r_wg of one dimension's ratings against random answering; None below two ratings."""
    values = sorted(ratings)
    if len(values) < 2:
        return None
    return max(0.0, 1.0 - statistics.variance(values) / RANDOM_VARIANCE)


def average_deviation(ratings: Iterable[int]) -> float | None:
    """AD_M: mean absolute deviation from the mean, in scale points; None below two ratings."""
    values = sorted(ratings)
    if len(values) < 2:
        return None
    mean = sum(values) / len(values)
    return sum(abs(value - mean) for value in values) / len(values)


def dimension_agreement(
    key: str, ratings: Iterable[int], bar: float, exact: bool = False
) -> DimensionAgreement:
    values = sorted(ratings)
    index = rwg(values)
    agrees = index is not None and index >= bar - _TOLERANCE
    return DimensionAgreement(
        key,
        len(values),
        index,
        average_deviation(values),
        agrees,
        chance_of_agreement(values, exact),
        exact or is_exact(len(values)),
    )


def team_agreement(
    ratings_by_respondent: Mapping[str, Mapping[str, int]],
    dimension_keys: Iterable[str],
    bar: float,
    chance_bar: float,
) -> Agreement:
    keys = tuple(dict.fromkeys(dimension_keys))  # unique, order kept
    for respondent, ratings in ratings_by_respondent.items():
        for key in keys:
            value = ratings.get(key)
            if value is not None and value not in SCALE:
                raise RatingOutOfRange(
                    who=respondent,
                    dimension=key,
                    value=value,
                )
    columns = {
        key: [r[key] for r in ratings_by_respondent.values() if r.get(key) is not None]
        for key in keys
    }
    dimensions = tuple(dimension_agreement(key, columns[key], bar) for key in keys)
    if _bound_too_loose(dimensions, chance_bar):  # a huge team: the exact chance decides
        dimensions = tuple(dimension_agreement(key, columns[key], bar, True) for key in keys)
    raters = sum(1 for r in ratings_by_respondent.values() if any(k in r for k in keys))
    pairable = [v for key in keys if len(columns[key]) >= 2 for v in columns[key]]
    alpha = _alpha(ratings_by_respondent, keys, columns)

    counts = (alpha, len(pairable), raters)
    if not dimensions or any(d.rwg is None for d in dimensions):
        return Agreement("too_few", dimensions, None, None, bar, *counts, None, chance_bar)
    weakest = min(dimensions, key=lambda d: (d.rwg, keys.index(d.dimension_key)))
    chance = joint_chance(d.chance for d in dimensions)
    state: AgreementState = "disagree"
    if all(d.agrees for d in dimensions):
        state = "agree" if _within_chance_bar(chance, chance_bar) else "chance"
    return Agreement(
        state, dimensions, weakest.rwg, weakest.dimension_key, bar, *counts, chance, chance_bar
    )


def _bound_too_loose(dimensions: tuple[DimensionAgreement, ...], chance_bar: float) -> bool:
    """Every dimension reaches the bar, but an upper bound of the chance is above its bar:
    the bound cannot tell whether luck explains the likeness; only the exact chance can."""
    if not dimensions or not all(d.agrees for d in dimensions):
        return False
    if all(d.chance_exact for d in dimensions):
        return False
    return not _within_chance_bar(joint_chance(d.chance for d in dimensions), chance_bar)


def _within_chance_bar(chance: float, chance_bar: float) -> bool:
    # Relative: a bar may be tiny (1e-6), and a chance equal to it on paper meets it.
    return chance <= chance_bar * (1 + _TOLERANCE)


def _alpha(
    ratings_by_respondent: Mapping[str, Mapping[str, int]],
    keys: tuple[str, ...],
    columns: Mapping[str, list[int]],
) -> float | None:
    """Krippendorff's ordinal alpha on the 1-5 scale, for information; None when undefined."""
    units = [key for key in keys if len(columns[key]) >= 2]
    values = {v for key in units for v in columns[key]}
    if len(units) < 2 or len(values) < 2:
        return None
    reliability_data = np.array(
        [
            [math.nan if ratings.get(key) is None else float(ratings[key]) for key in units]
            for _, ratings in sorted(ratings_by_respondent.items())
        ],
        dtype=float,
    )
    return float(
        krippendorff.alpha(
            reliability_data=reliability_data,
            level_of_measurement="ordinal",
            value_domain=list(SCALE),
        )
    )
