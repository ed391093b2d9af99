"""Ids as the database can hold them.

Primary keys are 32-bit integers on PostgreSQL; a bigger number in a URL or a form would
make the database refuse the query ("integer out of range") and the request end in a 500.
Such an id names nothing, so it is treated as one that does not exist: the URL converter
answers 404, and code that reads an id from a form or query string checks it here.
"""

from __future__ import annotations

from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1


def as_id(value: object) -> int | None:
    """The id a value names, or None when it names none the database could hold."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if 1 <= number <= MAX_ID else None


class IdConverter(IntegerConverter):
    """`<int:…>` in every route: at most MAX_ID, so a bigger number is a plain 404."""

    def __init__(self, map, *args, **kwargs):  # noqa: A002 (werkzeug's own name)
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)
