"""How often random answering looks at least as agreed as a team does.

Small groups reach r_wg's bar by luck (Harvey & Hollander, 2004): three members answering
at random on the five points are within one point of each other 23 % of the time.
Dunlap, Burke & Smith-Crowe (2003) tabulate critical values of r_wg against random
answering for small groups. Candor computes the chance exactly instead of reading a
table, so it holds for any team size and for the members who rated each question.

The null: each of n raters picks one of the scale's points, all equally likely and
independently. r_wg depends on the ratings only through their sample variance, and with
y = rating - the scale's middle point, n(n - 1)s^2 = nQ - S^2, where S = sum(y) and
Q = sum(y^2). The joint distribution of (S, Q) is built one rater at a time in a table
of at most (4n + 1) x (4n + 1) cells, then read as the distribution of nQ - S^2: an
integer, so "at most as spread out" is an exact comparison. For 100 raters the table
takes about a tenth of a second; it is made once per number of raters and kept.

Above EXACT_RATERS (100) the table takes ever longer (0.7 s for 150 raters: its work grows
with the cube of the team), so the chance is bounded instead:
Cantelli's inequality on the sample variance, whose mean under the null is sigma_EU^2 and
whose variance is mu_4 / n - sigma^4 (n - 3) / (n (n - 1)). The bound is never below the
exact chance, so a bound at or below the bar proves the team beyond luck; a bound above
it proves nothing, and agreement.py then asks for the exact chance however long it takes
(only a deployment's own much looser bars could need that). is_exact says which it is.
(At r_wg 0.70 it is 1.4 % for 101 raters: well below the 5 % bar.)

    chance_of_agreement(ratings) = P(random ratings are spread no more than these)
                                 = P(r_wg of random ratings >= r_wg of these)

Questions are answered independently under the null, so the chance that every linked
question looks at least as agreed as the team's answers is the product of the
questions' chances (joint_chance).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from functools import lru_cache

import numpy as np

from app.domain.catalogue import SCALE

#: Variance of ratings spread evenly at random over the scale: 2.0 on five points.
RANDOM_VARIANCE = (len(SCALE) ** 2 - 1) / 12

_MIDDLE = SCALE[len(SCALE) // 2]
_STEPS = tuple(point - _MIDDLE for point in SCALE)  # -2 .. 2 on five points
_REACH = max(abs(step) for step in _STEPS)
_FOURTH_MOMENT = sum(step**4 for step in _STEPS) / len(_STEPS)  # 6.8 on five points

#: Up to this many raters the chance is exact; above it, an upper bound (is_exact).
EXACT_RATERS = 100


def is_exact(raters: int) -> bool:
    return raters <= EXACT_RATERS


def spread_statistic(ratings: Sequence[int]) -> int:
    """n * sum(y^2) - sum(y)^2 with y = rating - middle point: n(n - 1) times the sample
    variance, as an integer."""
    steps = [rating - _MIDDLE for rating in ratings]
    return len(steps) * sum(y * y for y in steps) - sum(steps) ** 2


@lru_cache(maxsize=256)
def _spread_distribution(raters: int) -> tuple[np.ndarray, np.ndarray]:
    """Every value the spread statistic of `raters` random ratings can take (ascending),
    and the chance of a value at most that large."""
    table = np.ones((1, 1))  # table[S + reach * k, Q] after k raters: the chance of (S, Q)
    for _ in range(raters):
        rows, columns = table.shape
        grown = np.zeros((rows + 2 * _REACH, columns + _REACH * _REACH))
        for step in _STEPS:
            row, column = step + _REACH, step * step
            grown[row : row + rows, column : column + columns] += table
        table = grown / len(_STEPS)  # divided at each step: never overflows
    sums = (np.arange(table.shape[0]) - _REACH * raters)[:, None]
    squares = np.arange(table.shape[1])[None, :]
    reachable = table > 0
    statistic = (raters * squares - sums * sums)[reachable]
    order = np.argsort(statistic, kind="stable")
    statistic, cumulative = statistic[order], np.cumsum(table[reachable][order])
    values = np.unique(statistic)
    last_of_each = np.searchsorted(statistic, values, side="right") - 1
    return values, np.minimum(cumulative[last_of_each], 1.0)


def chance_of_agreement(ratings: Iterable[int], exact: bool = False) -> float | None:
    """The chance that as many random ratings are spread no more than `ratings` (so reach
    at least their r_wg), or above EXACT_RATERS an upper bound of it unless `exact`; None
    below two ratings, where agreement is not measured."""
    values = list(ratings)
    if len(values) < 2:
        return None
    return _chance_of_spread(len(values), spread_statistic(values), exact)


def _chance_of_spread(raters: int, spread: float, exact: bool = False) -> float:
    """P(the spread statistic of random ratings <= spread): exact, or Cantelli's bound."""
    if not exact and not is_exact(raters):
        return _cantelli_bound(raters, spread / (raters * (raters - 1)))
    possible, cumulative = _spread_distribution(raters)
    at = int(np.searchsorted(possible, spread, side="right")) - 1
    return float(cumulative[at]) if at >= 0 else 0.0  # below what a float can hold


def chance_of_reaching(raters: int, rwg_bar: float) -> float:
    """The chance that `raters` random ratings of one question reach r_wg `rwg_bar`."""
    # r_wg >= bar  <=>  n(n - 1)s^2 <= (1 - bar) * sigma_EU^2 * n(n - 1); 1e-9 for rounding
    widest = (1 - rwg_bar) * RANDOM_VARIANCE * raters * (raters - 1) + 1e-9
    return _chance_of_spread(raters, widest)


def _cantelli_bound(raters: int, variance: float) -> float:
    """An upper bound of P(s^2 <= variance) for random ratings (one-sided Chebyshev)."""
    shortfall = RANDOM_VARIANCE - variance
    if shortfall <= 0:
        return 1.0
    spread_of_variance = _FOURTH_MOMENT / raters - RANDOM_VARIANCE**2 * (raters - 3) / (
        raters * (raters - 1)
    )
    return spread_of_variance / (spread_of_variance + shortfall**2)


def joint_chance(chances: Iterable[float | None]) -> float | None:
    """The chance that every question looks at least this agreed at once; None when any
    question's chance is unknown."""
    known = list(chances)
    if not known or any(chance is None for chance in known):
        return None
    return math.prod(known)
