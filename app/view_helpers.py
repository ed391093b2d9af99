"""Small helpers every blueprint's views share."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import abort
from flask_login import current_user

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
