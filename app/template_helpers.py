"""Jinja globals and filters shared by every template."""

from __future__ import annotations

import heapq
from datetime import datetime
from functools import lru_cache

from babel.numbers import format_decimal
from flask import Flask
from flask_babel import format_date, format_time, get_locale, get_translations
from flask_babel import lazy_gettext as _l
from jinja2 import pass_environment
from markupsafe import Markup

from app.domain.lifecycle import ReviewState
from app.domain.member_labels import counting_order, counting_place
from app.labels import COMPLEXITY_WORDS, N_, member_label

STATUS_LABELS = {
    "active": _l("Active"),
    "under_review": _l("Under review"),
    "blacklisted": _l("Blacklisted"),
    "cleared": _l("Cleared"),
}
STATE_LABELS = {
    ReviewState.OPEN: _l("Open"),
    ReviewState.CLOSED: _l("Closed"),
    ReviewState.DECIDED: _l("Decided"),
    ReviewState.CANCELLED: _l("Cancelled"),
}
LINK_STATE_LABELS = {
    "active": _l("Waiting for the client"),
    "used": _l("Answered"),
    "revoked": _l("Revoked"),
    "expired": _l("Expired"),
}
ROLE_LABELS = {"member": _l("Member"), "lead": _l("Lead"), "admin": _l("Admin")}


def init_app(app: Flask) -> None:
    # Templates compare with the enum (`review.state == ReviewState.OPEN`), never with text.
    app.add_template_global(ReviewState, "ReviewState")

    @app.template_filter("when")
    def when(value: datetime | None) -> str:
        if value is None:
            return "—"
        # The date and time as the reader's language writes them; times are stored and
        # shown in UTC, said so, because team and client may be in different zones.
        return f"{format_date(value, 'medium')} {format_time(value, 'HH:mm')} UTC"

    @app.template_filter("status_label")
    def status_label(value: str) -> str:
        return str(STATUS_LABELS.get(value, value))

    @app.template_filter("state_label")
    def state_label(value: str) -> str:
        return str(STATE_LABELS.get(value, value))

    @app.template_filter("complexity_label")
    def complexity_label(value: int) -> str:
        label = COMPLEXITY_WORDS.get(value)
        return f"{value} – {label}" if label else str(value)

    @app.template_filter("number")
    def number(value: float | None, places: int = 2) -> str:
        return format_number(value, places, str(get_locale()))

    @app.template_filter("percent")
    def percent(value: float | None, places: int = 0) -> str:
        return format_percent(value, places, str(get_locale()), get_translations().ugettext)

    @app.template_filter("link_state_label")
    def link_state_label(value: str) -> str:
        return str(LINK_STATE_LABELS.get(value, value))

    # A member's anonymous label ("Member A" as stored and sealed) in the reader's language.
    app.add_template_filter(member_label, "member_label")
    app.add_template_filter(sure_members, "sure_members")
    app.add_template_filter(named_members, "named_members")
    app.add_template_filter(widest_first, "widest_first")

    @app.template_filter("role_label")
    def role_label(value: str) -> str:
        return str(ROLE_LABELS.get(value, value))


def format_number(value: float | None, places: int, locale: str) -> str:
    """The `number` filter in a given language: the reader's decimal sign (a comma in
    Danish and Hungarian), `places` decimals, a dash for a missing value."""
    if value is None:
        return "—"
    return _decimal(value, "0." + "0" * places if places else "0", locale)


# A share as the reader's language writes one, the sign's spacing the translators' choice:
# "80 %" in English and Danish, "80%" in Hungarian (as its sentences write it).
PERCENT = N_("%(number)s %%")


def format_percent(value: float | None, places: int, locale: str, translate) -> str:
    """The `percent` filter in a given language: `format_number`, then the sign, on one
    line with it (a space becomes a no-break space: a narrow column never wraps the sign)."""
    if value is None:
        return "—"
    shown = translate(PERCENT) % {"number": format_number(value, places, locale)}
    return shown.replace(" ", "\u00a0")


# A verdict's details give at most this many rows to named members' ratings.
MEMBER_ROWS_SHOWN = 10


def widest_first(members: list[dict], limit: int = MEMBER_ROWS_SHOWN) -> list[dict]:
    """The named members' ratings a verdict's details list, one row each (a member named
    on two linked questions has two): the widest over-ratings first (rating minus the
    client's), the surest among equals, then in counting order; at most `limit`. The
    benchmark's hundred-member team names seventy members on one question: seventy rows
    nobody reads, and half the page's drawing time. The verdict's sentence still names
    every member, and the record keeps each row (app/domain/conditions.py).
    (`heapq.nsmallest` is `sorted(...)[:limit]` without sorting the rows not listed.)"""
    return heapq.nsmallest(
        limit,
        members,
        key=lambda m: (
            m["client"] - m["rating"],
            -m["confidence"],
            counting_place(str(m["who"])),
            str(m["dimension"]),
        ),
    )


@pass_environment
def named_members(environment, members: list[dict]) -> Markup:
    """The members a condition names (its rows' "who"), each once, in counting order,
    worded by the page's `member_label` filter and joined with commas, each escaped. In
    Python, not `map("member_label")|join`: Jinja looks a filter up again for every item,
    and a big team's verdict names a hundred members."""
    word = environment.filters["member_label"]
    labels = counting_order(dict.fromkeys(m["who"] for m in members))
    return Markup(", ").join(word(label) for label in labels)


def sure_members(flags: list[dict]) -> str:
    """Members flagged on one question, as "Member A (5, 90 %), Member B (4, 80 %)" in the
    reader's language: each rating and how sure they were. The catalogue and locale are
    looked up once for the list, not for each of what can be a hundred members."""
    translate = get_translations().ugettext
    locale = str(get_locale())
    pattern = translate(SURE_MEMBER)
    return ", ".join(
        pattern
        % {
            "who": member_label(str(flag.get("who")), translate),
            "rating": _figure(flag.get("rating_or_mean"), locale),
            "confidence": _figure(flag.get("confidence"), locale),
        }
        for flag in flags
    )


# One member's flag in a list of them: the label, the rating, how sure (in %).
SURE_MEMBER = N_("%(who)s (%(rating)s, %(confidence)s %%)")


def _figure(value, locale: str) -> str:
    """A member's rating or confidence: a whole number, written as one."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return "—"
    return format_number(value, 0 if float(value).is_integer() else 2, locale)


def number_filter_for(locale: str):
    """The `number` filter with the language fixed, for a page drawn in one language
    (the comparison page): Flask-Babel's locale is looked up once, not per figure."""

    def number(value: float | None, places: int = 2) -> str:
        return format_number(value, places, locale)

    return number


def percent_filter_for(locale: str, translate):
    """The `percent` filter with the language and its catalogue fixed, as above."""

    def percent(value: float | None, places: int = 0) -> str:
        return format_percent(value, places, locale, translate)

    return percent


@lru_cache(maxsize=4096)
def _decimal(value: float, pattern: str, locale: str) -> str:
    """Babel's formatting, remembered: a big review's page prints the same few hundred
    figures (means, gaps, confidences) over and over, at about 0.1 ms each."""
    return format_decimal(value, pattern, locale=locale)
