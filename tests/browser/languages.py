"""Switching a logged-in user's language as they would: on their settings page."""

from __future__ import annotations

from flask_babel import force_locale, gettext, ngettext

# The three languages with the names the settings page gives them.
LANGUAGES = (("en", "English"), ("da", "Dansk"), ("hu", "Magyar"))


def choose_language(page, live_server, name: str) -> None:
    page.goto(f"{live_server}/profile")
    page.get_by_label(name, exact=True).check()
    page.locator("form button[type=submit], form input[type=submit]").last.click()
    page.wait_for_url(f"{live_server}/profile")


def words(app, language: str, text: str, **params) -> str:
    """`text` as the app words it in `language`."""
    with app.test_request_context(), force_locale(language):
        return gettext(text, **params)


def plural_words(app, language: str, singular: str, plural: str, num: int, **params) -> str:
    """`singular`/`plural` as the app words them in `language` for `num`."""
    with app.test_request_context(), force_locale(language):
        return ngettext(singular, plural, num, **params)
