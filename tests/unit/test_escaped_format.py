"""escaped_format must give exactly `Markup(text) % values` (Jinja's newstyle gettext
formatting), escaping included, or fail the same way."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from app.reviews.escaped_format import EscapedFormatter
from tests.unit.domain.builders import PROPERTY_SETTINGS


class Shown:
    """An object with its own str(), markup included."""

    def __str__(self) -> str:
        return "<shown & told>"


class Safe:
    def __html__(self) -> str:
        return "<em>safe</em>"


HOSTILE = ["<b>", "&amp;", '"quoted"', "it's", "%(x)s", "%", "", "plain", "“curly”"]
VALUES = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=8),
    st.integers(-(10**6), 10**6),
    st.floats(),
    st.booleans(),
    st.none(),
    st.sampled_from([Markup("<i>kept</i>"), Shown(), Safe()]),
)
CONVERSIONS = ["s", "d", "i", "u", "r", "a", ".2f", "5s", "-3d", "x", "X", "o", "c", "e", "g", "%"]


def markup_format(text: str, values: dict) -> str | type:
    """Markup's own `%`, or the type of what it raised."""
    try:
        return Markup(text) % values
    except Exception as error:  # noqa: BLE001  (compared, not swallowed)
        return type(error)


def fast_format(formatter: EscapedFormatter, text: str, values: dict) -> str | type:
    try:
        return formatter(text, values)
    except Exception as error:  # noqa: BLE001
        return type(error)


@settings(PROPERTY_SETTINGS, max_examples=1500)  # microseconds each; rare conversions
@given(
    st.lists(
        st.tuples(st.sampled_from(["a", "b", "c"]), st.sampled_from(CONVERSIONS)),
        max_size=4,
    ),
    st.lists(st.sampled_from(HOSTILE + ["%%", " and "]), max_size=4),
    st.dictionaries(st.sampled_from(["a", "b", "c", "extra"]), VALUES, max_size=4),
)
def test_the_same_text_or_the_same_failure_as_markups_own(placeholders, words, values):
    pieces = [f"%({key}){conversion}" for key, conversion in placeholders]
    text = " ".join(word.replace("%(x)s", "x").replace("%", "%%") for word in words)
    text = text + " " + " ".join(pieces)
    formatter = EscapedFormatter()
    expected = markup_format(text, values)
    for _ in range(2):  # the first call plans the text, the second uses the plan
        got = fast_format(formatter, text, values)
        assert got == expected
        assert type(got) is type(expected)


@pytest.mark.parametrize(
    ("text", "values", "expected"),
    [
        ("%(who)s on “%(q)s”", {"who": "A <b>", "q": "x & y"}, "A &lt;b&gt; on “x &amp; y”"),
        ("%(n)d of %(total)d: %(pct)s %%", {"n": 3, "total": 4, "pct": 75}, "3 of 4: 75 %"),
        ("%(n)d members", {"n": "7"}, "7 members"),  # int("7"), as Markup's helper does
        ("%(v)r", {"v": "<x>"}, "&#39;&lt;x&gt;&#39;"),
        ("%(v)s", {"v": Markup("<i>kept</i>")}, "<i>kept</i>"),
        ("%(v)s", {"v": Shown()}, "&lt;shown &amp; told&gt;"),
        ("%(v)s", {"v": Safe()}, "<em>safe</em>"),
    ],
)
def test_examples(text, values, expected):
    got = EscapedFormatter()(text, values)
    assert got == expected == Markup(text) % values
    assert isinstance(got, Markup)


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("%(n)x", {"n": 255}),  # Markup's helper has no __index__: %x, %o and %c fail
        ("%(n)c", {"n": 65}),
        ("%(n)d", {"n": "many"}),
        ("%(missing)s", {}),
    ],
)
def test_the_same_failures(text, values):
    expected = markup_format(text, values)
    assert isinstance(expected, type) and issubclass(expected, Exception)
    assert fast_format(EscapedFormatter(), text, values) is expected
