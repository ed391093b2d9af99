"""Mapping use-case errors to HTTP answers, shared by the review views."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import abort

from app.services.errors import Forbidden, NotFound

T = TypeVar("T")


def or_abort(load: Callable[[], T]) -> T:
    """Run a lookup; a missing object is 404 and one the user may not see is 403."""
    try:
        return load()
    except NotFound:
        abort(404)
    except Forbidden:
        abort(403)
