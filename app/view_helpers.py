"""Small helpers every blueprint's views share."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import abort, current_app
from flask_login import current_user
from flask_wtf.csrf import CSRFError

from app import logs
from app.extensions import csrf
from app.models import User
from app.services.errors import Forbidden, NotFound

T = TypeVar("T")


def current_account() -> User:
    """The logged-in user as a plain model object, to hand to a service."""
    return current_user._get_current_object()


def or_abort(load: Callable[[], T]) -> T:
    """Run a lookup; a missing object is 404 and one the user may not see is 403."""
    try:
        return load()
    except NotFound:
        abort(404)
    except Forbidden:
        abort(403)


def csrf_passes() -> bool:
    """The global CSRF check (the token, and over HTTPS the referrer), for a view exempted
    from it (`@csrf.exempt`) so that a refused post can show its page again with what was
    typed instead of an error page that loses it. The view must save nothing when False."""
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return True
    try:
        csrf.protect()
    except CSRFError as error:
        # As the global handler logs it (app/errors/handlers.py): the reason, never the token.
        logs.event(logs.SECURITY, "csrf_rejected", reason=error.description)
        return False
    return True
