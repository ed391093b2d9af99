"""`Markup(text) % values`, Jinja's newstyle gettext formatting, at a third of its cost.

Markup's `%` wraps the values in a helper object, and every placeholder then makes two
more objects and an escape call: a big review's comparison page formats about 450
translated sentences (one per overconfident member's row), and that wrapping was a
third of its drawing time. The same text comes out of escaping each value once and
formatting with str's own `%`, which is what `escaped_format` does wherever that is
provably the same:

- a value formatted with `%s` gives `str(escape(value))` either way;
- a plain int, float or bool is left as it is: `str()` of one never holds a character
  that escaping changes, and `%d` or `%f` formats it as Markup's helper would;
- any other value under a number's conversion (`%d` of a string), and any text with
  another conversion (`%r`, `%x`, `%c`, ...), go to Markup's `%` itself.

tests/unit/test_escaped_format.py compares the two on hostile values and conversions.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from markupsafe import Markup, escape

# A mapping placeholder: its key and its conversion character (flags, width and
# precision skipped). "%%" is not one.
_PLACEHOLDER = re.compile(r"%\(([^)]*)\)[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?(.)")
_UNCHANGED_BY_ESCAPING = (int, float, bool)
_MARKUP_ONLY = None  # the plan of a text only Markup's own `%` formats


# Conversions that format Markup's helper through int() or float(), as they format a
# plain number; any other (%x, %c, %r, ...) leaves the text to Markup's own `%`.
_NUMBER_CONVERSIONS = frozenset("diufFeEgG")


def _plan(text: str) -> frozenset[str] | None:
    """The keys `text` formats as numbers, or _MARKUP_ONLY."""
    numbers = set()
    for key, conversion in _PLACEHOLDER.findall(text):
        if conversion in _NUMBER_CONVERSIONS:
            numbers.add(key)
        elif conversion != "s":
            return _MARKUP_ONLY
    return frozenset(numbers)


class EscapedFormatter:
    """Formats translated texts as `Markup(text) % values`; one per catalogue, as it
    remembers each text's placeholders (a catalogue's texts are a fixed set)."""

    def __init__(self) -> None:
        self._plans: dict[str, frozenset[str] | None] = {}

    def __call__(self, text: str, values: Mapping[str, object]) -> Markup:
        try:
            plan = self._plans[text]
        except KeyError:
            plan = self._plans[text] = _plan(text)
        if plan is _MARKUP_ONLY:
            return Markup(text) % values  # noqa: S704  # nosec B704
        escaped = {}
        for key, value in values.items():
            if type(value) in _UNCHANGED_BY_ESCAPING:
                escaped[key] = value
            elif key in plan:
                return Markup(text) % values  # noqa: S704  # nosec B704
            else:
                escaped[key] = escape(value)
        return Markup(text % escaped)  # noqa: S704  # nosec B704
