"""The anonymous labels of a review's members: "Member A" to "Member Z", then numbers.

A label is stored (review_participants.label) and sealed into decision records in this
English form, and the format never changes, so a record sealed long ago reads the same
today. Readers see it in their own language: the web layer words the label's mark
(app/labels.py), which `label_mark` reads back out of the stored text.

Labels are handed out in a cryptographically random order, so a label says nothing
about who is behind it (not their place in a list, nor the order they were added in).
"""

from __future__ import annotations

import re
import secrets
import string
from collections.abc import Collection, Iterable
from functools import lru_cache

_PREFIX = "Member "
_LETTER_LABELS = tuple(_PREFIX + letter for letter in string.ascii_uppercase)
_STORED = re.compile(r"Member ([A-Z]|[1-9][0-9]*)")


def new_labels(count: int, taken: Collection[str] = ()) -> list[str]:
    """`count` labels that are not in `taken`, in random order.

    While the whole team (taken and new) fits in the 26 letters and every taken label is
    a letter, the labels are letters; otherwise numbers from 1 up. Either way the first
    free ones are used, so a team of five is A to E (or a team of 30 is 1 to 30), and
    shuffled among themselves."""
    if count < 0:
        raise ValueError(f"negative_count: {count}")
    taken = frozenset(taken)
    team_size = len(taken) + count
    if team_size <= len(_LETTER_LABELS) and taken <= frozenset(_LETTER_LABELS):
        pool: Collection[str] = _LETTER_LABELS
    else:
        # 1..team_size holds at least `count` numbers that no taken label uses.
        pool = [f"{_PREFIX}{number}" for number in range(1, team_size + 1)]
    labels = [label for label in pool if label not in taken][:count]
    secrets.SystemRandom().shuffle(labels)
    return labels


@lru_cache(maxsize=4096)  # a big review's page reads the same hundred labels hundreds of times
def label_mark(label: str) -> str | None:
    """The letter or number of a stored label ("Member B" -> "B", "Member 27" -> "27");
    None for any other text (a record's "team", or data from before these labels)."""
    match = _STORED.fullmatch(label)
    return match.group(1) if match else None


@lru_cache(maxsize=4096)  # the same labels, sorted again on every drawing of a big page
def counting_place(label: str) -> tuple:
    """A stored label's place in the order a reader counts them: letters A to Z, then
    numbers by value ("Member 2" before "Member 10", which a plain text sort reverses),
    then any other text. A sort key."""
    mark = label_mark(label)
    if mark is None:
        return (2, 0, label)
    if mark.isdigit():
        return (1, int(mark), "")
    return (0, 0, mark)


def counting_order(labels: Iterable[str]) -> list[str]:
    """Stored labels in counting order (`counting_place`)."""
    return sorted(labels, key=counting_place)
