"""`statistics.stdev` of whole numbers, to the last bit, at a fraction of its cost.

statistics.stdev converts every value to an exact ratio and sums Fractions, about a
microsecond per value; a 100-member review asks it for every question. Its result is
the correctly rounded square root of the exact sample variance, so for whole numbers it
can be had from two integer sums: the exact variance is a Fraction, math.sqrt of its
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
from fractions import Fraction


def sample_stdev(values: Sequence[int]) -> float:
    """statistics.stdev(values) for two or more whole numbers."""
    count = len(values)
    total = sum(values)
    spread = count * sum(value * value for value in values) - total * total
    if spread == 0:
        return 0.0  # every value equal
    variance = Fraction(spread, count * (count - 1))
    # math.sqrt of the variance's nearest float: rounded twice, so about one time in ten
    # one float off the correctly rounded root. The exact midpoint test says which way.
    root = math.sqrt(variance)
    for _ in range(3):
        lower, upper = math.nextafter(root, 0.0), math.nextafter(root, math.inf)
        below = (Fraction(root) + Fraction(lower)) / 2
        above = (Fraction(root) + Fraction(upper)) / 2
        if variance < below * below:
            root = lower
        elif variance > above * above:
            root = upper
        elif variance != below * below and variance != above * above:
            return root
        else:
            break  # exactly halfway between two floats: statistics breaks the tie
    return statistics.stdev(values)
