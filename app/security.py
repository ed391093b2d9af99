"""Login wiring, role guards and the security headers every response carries."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import Flask, abort, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app.extensions import login_manager

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def init_app(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(session_id: str):
        from app.services.users import load_session_user

        return load_session_user(session_id)

    @app.before_request
    def refuse_nul_bytes():
        # A NUL character is never meaningful text, and PostgreSQL refuses to store one:
        # turn it into a clear 400 instead of a database error.
        if request.method == "POST" and any(
            "\x00" in value for values in request.form.listvalues() for value in values
        ):
            abort(400)

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        # Client-token pages keep their own (same-origin) so the token never leaves the site.
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if request.is_secure:
            response.headers.setdefault(
                "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
            )
        if request.endpoint and request.endpoint != "static":
            response.headers.setdefault("Cache-Control", "no-store")
        return response


def role_required(*roles: str) -> Callable:
    """Logged in, and holding one of `roles` (admins pass every lead check)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            allowed = set(roles) | ({"admin"} if "lead" in roles else set())
            if current_user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


lead_required = role_required("lead")
admin_required = role_required("admin")
