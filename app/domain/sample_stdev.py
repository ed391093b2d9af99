"""`statistics.stdev` of whole numbers, to the last bit, at a fraction of its cost.

statistics.stdev converts every value to an exact ratio and sums Fractions, about a
microsecond per value; a 100-member review asks it for every question. Its result is
the correctly rounded square root of the exact sample variance, so for whole numbers it
can be had from two integer sums: the exact variance is a Fraction, math.sqrt of its
nearest float is a candidate, and the candidate is the correctly rounded root exactly
when the root lies strictly between the midpoints to its neighbouring floats (checked in
exact arithmetic). In the rare case it does not, statistics.stdev decides, so the figure
is always the one statistics.stdev gives (it is sealed in decision records).
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
    root = math.sqrt(variance)
    exact = Fraction(root)
    below = (exact + Fraction(math.nextafter(root, 0.0))) / 2
    above = (exact + Fraction(math.nextafter(root, math.inf))) / 2
    if below * below < variance < above * above:
        return root
    return statistics.stdev(values)
