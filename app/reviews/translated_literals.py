"""Translated literals made part of a template when it is compiled, for an environment
drawn in one language only (the comparison page's, app/reviews/compare_page.py).

`_("Team mean")`, a call with a literal text and nothing to put in it, gives the same
words on every render in one language. Jinja prints a constant as part of the compiled
template's own text, escaped once at compile time, where a call is looked up, run and
escaped on every render: at 100 members x 50 questions the page prints such labels
about 600 times (each of the 50 rows names its nine columns for the phone layout), a
sixth of its drawing time. This extension turns each such call into the constant it
would return, as a token stream filter (Jinja's own hook for rewriting a template's
source before it is parsed):

    _("Team mean")   becomes   ("Holdets gennemsnit"|safe)

`literal` gives what the environment's `_` gives for the text (Markup: the catalogue's
text is trusted markup, formatted with no values, so "%%" reads "%" as at run time);
`|safe` keeps it Markup, so it is not escaped again. A call with values
(`_("%(n)s of %(total)s", n=...)`), `ngettext`, or a text built at run time is left as it
is. tests/web/test_compare_page_i18n.py holds the page byte-identical to Flask-Babel's
own drawing in every language.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from jinja2.ext import Extension
from jinja2.lexer import (
    TOKEN_DOT,
    TOKEN_LPAREN,
    TOKEN_NAME,
    TOKEN_PIPE,
    TOKEN_RPAREN,
    TOKEN_STRING,
    Token,
    TokenStream,
)

GETTEXT_NAMES = frozenset({"_", "gettext"})


def _is_literal_call(tokens: list[Token], at: int) -> bool:
    """Whether tokens[at:at + 4] are `_` `(` "text" `)`, and `_` is the global name (not
    an attribute: `x._("text")`)."""
    if at + 3 >= len(tokens):
        return False
    name, opening, text, closing = tokens[at : at + 4]
    return (
        name.type == TOKEN_NAME
        and name.value in GETTEXT_NAMES
        and opening.type == TOKEN_LPAREN
        and text.type == TOKEN_STRING
        and closing.type == TOKEN_RPAREN
        and (at == 0 or tokens[at - 1].type != TOKEN_DOT)
    )


def _constant(line: int, markup: str) -> list[Token]:
    return [
        Token(line, TOKEN_LPAREN, "("),
        Token(line, TOKEN_STRING, markup),
        Token(line, TOKEN_PIPE, "|"),
        Token(line, TOKEN_NAME, "safe"),
        Token(line, TOKEN_RPAREN, ")"),
    ]


def translated_literals(literal: Callable[[str], str]) -> type[Extension]:
    """A Jinja extension that compiles each literal gettext call as `literal(text)`."""

    class TranslatedLiterals(Extension):
        def filter_stream(self, stream: TokenStream) -> Iterable[Token]:
            return _folded(list(stream), literal)

    return TranslatedLiterals


def _folded(tokens: list[Token], literal: Callable[[str], str]) -> Iterator[Token]:
    at = 0
    while at < len(tokens):
        if _is_literal_call(tokens, at):
            yield from _constant(tokens[at].lineno, str(literal(tokens[at + 2].value)))
            at += 4
        else:
            yield tokens[at]
            at += 1
