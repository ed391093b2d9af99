"""The language of the client's pages.

The client's own record decides (set by the lead), unless the client picked another on
the page: a pick is kept in this browser's session for the client's pages only, so an
agency user who opens a client link does not change their own pages' language, and a
client who switched keeps reading in that language through the check and thanks pages.
The switch is a submit button of the answer form: the page comes back in the new language
with everything typed still in the fields, and nothing is checked or saved.
"""

from __future__ import annotations

from flask import request, session

from app.i18n import current_language, supported, use_language

SESSION_KEY = "client_language"
SWITCH_FIELD = "switch_language"


def switch_requested() -> bool:
    return request.method == "POST" and supported(request.form.get(SWITCH_FIELD)) is not None


def speak_to_client(client_language: str | None) -> str:
    """Put this request in the client's language; returns the language in use."""
    picked = supported(request.form.get(SWITCH_FIELD)) if request.method == "POST" else None
    picked = picked or supported(request.args.get("lang"))
    if picked:
        session[SESSION_KEY] = picked
    chosen = picked or supported(session.get(SESSION_KEY)) or supported(client_language)
    return use_language(chosen)


def keep_for_the_pages_after() -> None:
    """The thanks page and a later visit to the spent link know no client: they speak the
    language this page was in (the client's own, or its pick), kept in the session."""
    session[SESSION_KEY] = current_language()


def speak_as_picked() -> str:
    """For the pages that know no client (thanks, an invalid link): the pick, if any."""
    picked = supported(request.args.get("lang")) or supported(session.get(SESSION_KEY))
    if picked:
        session[SESSION_KEY] = picked
    return use_language(picked)
