"""`statistics.stdev` of whole numbers, to the last bit, at a fraction of its cost.

statistics.stdev converts every value to an exact ratio and sums Fractions, about a
microsecond per value; a 100-member review asks it for every question. Its result is
the correctly rounded square root of the exact sample variance, so for whole numbers it
can be had from two integer sums: the exact variance is a ratio of integers, math.sqrt of its
nearest float is a candidate, and the candidate is the correctly rounded root exactly
when the root lies strictly between the midpoints to its neighbouring floats (checked in
exact arithmetic), or else its neighbour on the side the test points to. Only a root
exactly halfway between two floats (or a candidate further off, which double rounding
does not produce) is left to statistics.stdev, so the figure is always the one
statistics.stdev gives (it is sealed in decision records).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence


def sample_stdev(values: Sequence[int]) -> float:
    """statistics.stdev(values) for two or more whole numbers."""
    count = len(values)
    total = sum(values)
    spread = count * sum([value * value for value in values]) - total * total
    if spread == 0:
        return 0.0  # every value equal
    # The exact variance is spread / scale. True division of two ints is correctly
    # rounded, as a Fraction's float is; math.sqrt of it is rounded a second time, so
    # about one time in ten one float off the correctly rounded root. The exact
    # midpoint test, in integers, says which way.
    scale = count * (count - 1)
    root = math.sqrt(spread / scale)
    for _ in range(3):
        lower, upper = math.nextafter(root, 0.0), math.nextafter(root, math.inf)
        below = _against_midpoint(spread, scale, root, lower)
        above = _against_midpoint(spread, scale, root, upper)
        if below < 0:
            root = lower
        elif above > 0:
            root = upper
        elif below != 0 and above != 0:
            return root
        else:
            break  # exactly halfway between two floats: statistics breaks the tie
    return statistics.stdev(values)


def _against_midpoint(spread: int, scale: int, x: float, y: float) -> int:
    """The sign of spread / scale - ((x + y) / 2) ** 2, in exact integer arithmetic
    (floats are ratios of integers; no Fraction is made, nor any gcd taken)."""
    x_top, x_bottom = x.as_integer_ratio()
    y_top, y_bottom = y.as_integer_ratio()
    # (x + y) / 2 = top / bottom
    top = x_top * y_bottom + y_top * x_bottom
    bottom = 2 * x_bottom * y_bottom
    difference = spread * bottom * bottom - scale * top * top
    return (difference > 0) - (difference < 0)
