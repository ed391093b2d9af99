"""A member named overconfident on one question, and the quick way score_review makes one.

Its own module: the record reads flags back (app/domain/record.py) and scoring makes them
by the thousand, each through the maker below.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)  # slots: a big review names thousands
class OverconfidenceFlag:
    """One member, on one dimension: above the client by more than the sure gap threshold,
    and at least as confident as the sure threshold."""

    dimension_key: str
    who: str
    rating_or_mean: float
    client_rating: int
    gap: float
    confidence: float


def _flag_maker():
    """`OverconfidenceFlag(*fields)` at about a third of its cost, for score_review.

    A big review names thousands of members (3,160 flags at 100 members x 50 questions),
    and a frozen dataclass's __init__ sets each field through object.__setattr__, which
    looks the attribute up anew every time: 0.8 µs a flag, about 2.5 ms of a cold page.
    This sets the same slots through their own descriptors (what that lookup ends in),
    so the object is the same: equal, hashable, still frozen to any later assignment
    (tests/unit/domain/test_scoring.py compares the two). A field added or removed fails
    the unpacking below at import."""
    setters = tuple(
        getattr(OverconfidenceFlag, name).__set__ for name in OverconfidenceFlag.__slots__
    )
    set_key, set_who, set_rating, set_client, set_gap, set_confidence = setters
    new = object.__new__

    def make(dimension_key, who, rating_or_mean, client_rating, gap, confidence):
        flag = new(OverconfidenceFlag)
        set_key(flag, dimension_key)
        set_who(flag, who)
        set_rating(flag, rating_or_mean)
        set_client(flag, client_rating)
        set_gap(flag, gap)
        set_confidence(flag, confidence)
        return flag

    return make


new_flag = _flag_maker()
