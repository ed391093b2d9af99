"""Login wiring, role guards and the security headers every response carries."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import Flask, abort, request, session
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from werkzeug.datastructures import ImmutableMultiDict

from app.extensions import login_manager
from app.text_input import strip_nul

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
# A chart opened on its own is an SVG document whose styles matplotlib writes inline
# (a <style> element and style attributes): under the pages' policy it renders black.
# The SVG is drawn by the server from numbers, never holds user markup, and may run
# nothing: inline style is all it is allowed.
SVG_CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'"
)
# Requests that must work without the database: static files and the health check
# (which reports the database's state itself).
_NO_USER_ENDPOINTS = frozenset({"static", "main.healthz"})


# The key of the login session's token in Flask's session (see app/services/sessions.py).
LOGIN_SESSION_KEY = "sid"


def init_app(app: Flask) -> None:
    from app.access_log import mask_development_server_log
    from app.rate_limits import warn_at_start

    mask_development_server_log()  # gunicorn: app.access_log.MaskingLogger
    warn_at_start(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(identity: str):
        from app.models import utcnow
        from app.services.sessions import session_user

        return session_user(
            identity, session.get(LOGIN_SESSION_KEY), utcnow(), on_use_recorded=_sign_again
        )

    def _sign_again() -> None:
        # SESSION_REFRESH_EACH_REQUEST is off (app/config.py): the cookie is sent again,
        # with a new expiry, when the server has recorded a use, as the idle clock restarts.
        session.modified = True

    @app.before_request
    def strip_nul_bytes():
        # A NUL character is never meaningful text, and PostgreSQL refuses to store one:
        # it is dropped from every submitted value before any form sees it.
        if request.method == "POST" and any(
            "\x00" in value for values in request.form.listvalues() for value in values
        ):
            request.form = ImmutableMultiDict(
                [(key, strip_nul(value)) for key, value in request.form.items(multi=True)]
            )

    @app.before_request
    def load_the_user_first():
        # The session check may write (last use); doing it before the view runs keeps
        # that write out of any use case's transaction.
        if request.endpoint not in _NO_USER_ENDPOINTS:
            current_user._get_current_object()

    @app.after_request
    def security_headers(response):
        if response.mimetype == "image/svg+xml":
            response.headers.setdefault("Content-Security-Policy", SVG_CONTENT_SECURITY_POLICY)
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
