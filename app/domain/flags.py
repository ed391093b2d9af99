"""A member named overconfident on one question, and the quick way score_review makes one.

Its own module: the record reads flags back (app/domain/record.py) and scoring makes them
by the thousand, each through the maker below.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import orjson


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


FLAG_FIELDS = OverconfidenceFlag.__slots__  # the order `new_flag` takes them in


class FlagRows(Sequence):
    """A review's flags kept as one JSON text of rows (each `FLAG_FIELDS` in order), read
    and made into flags only when first used.

    Stored results (app/domain/stored_results.py) keep them so, apart from the rest: the
    comparison page reads how many there are and never one of them (each verdict carries
    the flags it names), and the 3,160 flags of 100 members x 50 questions are over half
    of what is stored and cost more to make than the rest of the results together. Equal
    to any sequence of the same flags, as the tuple it stands for. `read_rows` gives the
    text (it may raise ValueError); a text that does not hold `count` flags raises
    ValueError when read."""

    __slots__ = ("_count", "_made", "_read_rows")

    def __init__(self, count: int, read_rows: Callable[[], str | bytes]) -> None:
        self._count = count
        self._read_rows = read_rows
        self._made: tuple[OverconfidenceFlag, ...] | None = None

    def _flags(self) -> tuple[OverconfidenceFlag, ...]:
        if self._made is None:
            rows = orjson.loads(self._read_rows())
            if not isinstance(rows, list) or len(rows) != self._count:
                raise ValueError("flag_rows_count")
            width = len(FLAG_FIELDS)
            if not all(isinstance(row, list) and len(row) == width for row in rows):
                raise ValueError("flag_rows_shape")
            self._made = tuple(new_flag(*row) for row in rows)
        return self._made

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index):
        return self._flags()[index]

    def __iter__(self) -> Iterator[OverconfidenceFlag]:
        return iter(self._flags())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str):
            return len(other) == self._count and tuple(self) == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._flags())

    def __repr__(self) -> str:
        return f"FlagRows({self._count} flags)"


def flag_rows_text(flags: Sequence[OverconfidenceFlag]) -> bytes:
    """The text `FlagRows` reads: each flag as the row of its fields."""
    return orjson.dumps([[getattr(f, name) for name in FLAG_FIELDS] for f in flags])
