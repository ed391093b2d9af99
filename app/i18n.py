"""Which language a page is in, and switching it.

The order, first match wins:
1. a language a view chose for this request (the client's page uses the client's
   language, or the one the client picked on the page);
2. the signed-in user's own choice in their profile;
3. a choice made with `?lang=` before signing in (kept in the session);
4. the browser's `Accept-Language`;
5. `BABEL_DEFAULT_LOCALE`.
Anything that is not one of the supported languages is ignored at every step, so an
unknown code in a profile, a client record or a URL falls back, never fails.
"""

from __future__ import annotations

from flask import Flask, current_app, g, has_request_context, request, session
from flask_babel import force_locale, get_locale, refresh
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from app.domain.catalogue_texts import CATALOGUE_LANGUAGES

SUPPORTED_LANGUAGES: tuple[str, ...] = CATALOGUE_LANGUAGES
# Each language named in itself, so a reader finds their own whatever the page's language.
LANGUAGE_NAMES: dict[str, str] = {"en": "English", "da": "Dansk", "hu": "Magyar"}


def supported(code: object) -> str | None:
    """The supported language a code names ("da", "DA", "da-DK", "da_DK"), or None."""
    if not isinstance(code, str):
        return None
    base = code.strip().replace("_", "-").split("-", 1)[0].lower()
    return base if base in SUPPORTED_LANGUAGES else None


def default_language() -> str:
    configured = current_app.config.get("BABEL_DEFAULT_LOCALE", "en")
    return supported(configured) or "en"


def select_language() -> str:
    """Flask-Babel's locale selector: see the module docstring for the order."""
    chosen = g.get("candor_language")
    if chosen:
        return chosen
    own = supported(_signed_in_users_language())
    if own:
        return own
    picked = supported(session.get("language"))
    if picked:
        return picked
    browser = request.accept_languages.best_match(SUPPORTED_LANGUAGES)
    return supported(browser) or default_language()


def _signed_in_users_language() -> str | None:
    # Reading the user may need the database; when it is down (the 503 page is being
    # worded), the page falls back to the browser's language instead of failing again.
    try:
        if current_user and current_user.is_authenticated:
            return getattr(current_user, "language", None)
    except SQLAlchemyError:
        return None
    return None


def use_language(code: object) -> str:
    """Show this request in `code` (if supported); returns the language now in use."""
    language = supported(code)
    if language:
        g.candor_language = language
        refresh()
    return current_language()


def current_language() -> str:
    """The language of the page being rendered (the default outside a request)."""
    if not has_request_context():
        return default_language()
    return supported(str(get_locale())) or default_language()


def in_language(code: object):
    """A context in which gettext and the formatters speak `code` (e-mails, drafts)."""
    return force_locale(supported(code) or default_language())


def init_app(app: Flask) -> None:
    @app.before_request
    def remember_a_picked_language() -> None:
        # `?lang=da` on any page, for a visitor who is not signed in (the login page's
        # language links); a signed-in user's profile choice still comes first. Unknown
        # codes are ignored.
        picked = supported(request.args.get("lang"))
        if picked:
            session["language"] = picked

    @app.context_processor
    def language_globals() -> dict:
        return {
            "current_language": current_language,
            "LANGUAGE_NAMES": LANGUAGE_NAMES,
            "SUPPORTED_LANGUAGES": SUPPORTED_LANGUAGES,
        }
