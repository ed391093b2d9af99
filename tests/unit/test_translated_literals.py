"""A literal gettext call compiled as its words (app/reviews/translated_literals.py): the
same output as the call at run time, escaping and "%%" included, and no call left to
run; anything with values, any other function, or a text built at run time untouched."""

from __future__ import annotations

import pytest
from jinja2 import DictLoader, Environment, pass_context
from markupsafe import Markup

from app.reviews.escaped_format import EscapedFormatter
from app.reviews.translated_literals import translated_literals

# A catalogue's text is trusted markup: "&" and <i> stay as written, "%%" reads "%".
CATALOGUE = {
    "Team mean": "Holdets gennemsnit",
    "Odd & <i>marked</i> 100 %%": "Skævt & <i>mærket</i> 100 %%",
    "%(n)s of them": "%(n)s af dem",
}
TEMPLATE = (
    '<td data-label="{{ _("Team mean") }}">{{ gettext("Odd & <i>marked</i> 100 %%") }}</td>'
    '{{ _("%(n)s of them", n=value) }}|{{ _("Team " ~ "mean") }}|{{ words._("Team mean") }}'
    '|{{ ngettext("%(num)d one", "%(num)d many", 2) }}'
)


def _environment(folded: bool, calls: list[str]) -> Environment:
    escaped_format = EscapedFormatter()

    def translate(text: str) -> str:
        return CATALOGUE.get(text, text)

    @pass_context
    def gettext(context, text: str, **values):
        calls.append(text)
        return escaped_format(translate(text), values)

    @pass_context
    def ngettext(context, singular: str, plural: str, num: int, **values):
        calls.append(plural)
        return escaped_format(singular if num == 1 else plural, {"num": num, **values})

    def literal(text: str) -> Markup:
        return escaped_format(translate(text), {})

    environment = Environment(
        autoescape=True,
        loader=DictLoader({"page.html": TEMPLATE}),
        extensions=[translated_literals(literal)] if folded else [],
    )
    environment.globals.update(_=gettext, gettext=gettext, ngettext=ngettext)
    return environment


class _Words:
    """An object with its own `_` method: an attribute call is never folded."""

    def _(self, text: str) -> str:
        return f"<{text}>"


def _render(folded: bool) -> tuple[str, list[str]]:
    calls: list[str] = []
    page = _environment(folded, calls).get_template("page.html")
    return page.render(value="<b>5</b>", words=_Words()), calls


def test_the_folded_page_is_the_page_the_calls_draw():
    folded, _ = _render(True)
    plain, _ = _render(False)
    assert folded == plain
    assert '<td data-label="Holdets gennemsnit">Skævt & <i>mærket</i> 100 %</td>' in folded
    assert "&lt;b&gt;5&lt;/b&gt; af dem" in folded  # a value is still escaped
    assert "&lt;Team mean&gt;" in folded  # the attribute's own `_`, escaped as any value


def test_only_literal_calls_without_values_are_folded():
    _, folded_calls = _render(True)
    _, plain_calls = _render(False)
    assert plain_calls == [
        "Team mean",
        "Odd & <i>marked</i> 100 %%",
        "%(n)s of them",
        "Team mean",  # "Team " ~ "mean": built at run time
        "%(num)d many",
    ]
    # The two literal calls no longer run; the call with a value, the text built at run
    # time and ngettext still do.
    assert folded_calls == ["%(n)s of them", "Team mean", "%(num)d many"]


@pytest.mark.parametrize(
    ("source", "runs"),
    [
        ('{{ _("a %(n)s", n=1) }}', ["a %(n)s"]),
        ('{{ _("a" ~ b) }}', ["ab"]),
        ("{{ _(b) }}", ["b"]),
        ('{{ x._("a") }}', []),
    ],
)
def test_what_is_not_a_literal_call_runs_as_written(source, runs):
    calls: list[str] = []
    folded = _environment(True, calls).from_string(source).render(b="b", x=_Words())
    assert calls == runs
    assert folded == _environment(False, []).from_string(source).render(b="b", x=_Words())
