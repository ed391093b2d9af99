"""How far team members agree among themselves: Krippendorff's alpha plus a plain companion.

Reliability data follow Krippendorff's layout: one row per rater (team member), one
column per unit (dimension), missing ratings as NaN. Alpha is computed for ordinal
data on the 1-5 scale (the `krippendorff` package silently assumes interval data
unless told otherwise).

Small teams make alpha fragile, so three things are reported instead of a bare number:

- state "unanimous" when every pairable value is the same: alpha is undefined there
  (expected disagreement is zero), and Candor says so instead of showing NaN;
- state "too_few" when fewer than two members rated, or no dimension has two ratings;
- otherwise state "alpha", with the number of pairable values next to it.

The companion figure `within_one_share` is the share of pairable ratings lying within
one scale point of their dimension's median. Ratings on a dimension only one member
rated are left out of it, as they are out of alpha: a lone rating agrees with itself.
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
from app.domain.errors import RatingOutOfRange

AgreementState = Literal["alpha", "unanimous", "too_few"]


@dataclass(frozen=True)
class Agreement:
    """Agreement among team members on a set of dimensions.

    alpha is None unless state is "alpha"; within_one_share is None when state is
    "too_few". raters counts members with at least one rating on these dimensions;
    units counts dimensions rated by at least two of them (the ones alpha uses).
    """

    state: AgreementState
    alpha: float | None
    pairable_values: int
    within_one_share: float | None
    raters: int
    units: int


def team_agreement(
    ratings_by_respondent: Mapping[str, Mapping[str, int]], dimension_keys: Iterable[str]
) -> Agreement:
    keys = tuple(dict.fromkeys(dimension_keys))  # unique, order kept
    rows = {
        respondent: [ratings.get(key) for key in keys]
        for respondent, ratings in sorted(ratings_by_respondent.items())
    }
    rows = {respondent: row for respondent, row in rows.items() if any(v is not None for v in row)}
    for respondent, row in rows.items():
        for key, value in zip(keys, row, strict=True):
            if value is not None and value not in SCALE:
                raise RatingOutOfRange(
                    f"{respondent} on '{key}': a rating must be a whole number "
                    f"from {SCALE[0]} to {SCALE[-1]}, not {value!r}."
                )

    columns = [[row[index] for row in rows.values()] for index in range(len(keys))]
    pairable_columns = [
        index for index, column in enumerate(columns) if sum(v is not None for v in column) >= 2
    ]
    pairable = [v for index in pairable_columns for v in columns[index] if v is not None]
    raters = len(rows)
    units = len(pairable_columns)
    if raters < 2 or not pairable_columns:
        return Agreement("too_few", None, len(pairable), None, raters, units)

    share = _within_one_share(
        [[v for v in columns[index] if v is not None] for index in pairable_columns]
    )
    if len(set(pairable)) == 1:
        return Agreement("unanimous", None, len(pairable), share, raters, units)

    reliability_data = np.array(
        [
            [math.nan if row[index] is None else float(row[index]) for index in pairable_columns]
            for row in rows.values()
        ],
        dtype=float,
    )
    alpha = float(
        krippendorff.alpha(
            reliability_data=reliability_data,
            level_of_measurement="ordinal",
            value_domain=list(SCALE),
        )
    )
    return Agreement("alpha", alpha, len(pairable), share, raters, units)


def _within_one_share(unit_values: list[list[int]]) -> float:
    total = sum(len(values) for values in unit_values)
    close = 0
    for values in unit_values:
        median = statistics.median(values)
        close += sum(1 for value in values if abs(value - median) <= 1)
    return close / total
