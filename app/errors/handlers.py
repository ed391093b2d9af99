import logging

from flask import render_template, request
from flask_wtf.csrf import CSRFError

from app import logs
from app.errors import bp
from app.extensions import db
from app.respond.errors import client_error_page


def _page(status: int, error=None):
    if request.blueprint == "respond":
        return client_error_page(status)
    return render_template(f"errors/{status}.html", error=error), status


@bp.app_errorhandler(400)
def bad_request(error):
    return _page(400, error)


@bp.app_errorhandler(CSRFError)
def csrf_error(error):
    # The reason ("The referrer does not match the host.", "The CSRF token is missing.")
    # is Flask-WTF's fixed wording, never the token itself.
    logs.event(logs.SECURITY, "csrf_rejected", reason=error.description)
    return _page(400, error)


@bp.app_errorhandler(403)
def forbidden(error):
    return _page(403)


@bp.app_errorhandler(404)
def not_found(error):
    return _page(404)


@bp.app_errorhandler(405)
def method_not_allowed(error):
    return _page(405)


@bp.app_errorhandler(413)
def too_large(error):
    return _page(413)


@bp.app_errorhandler(429)
def too_many_requests(error):
    logs.event(logs.SECURITY, "rate_limited", limit=getattr(error, "description", ""))
    return _page(429)


@bp.app_errorhandler(500)
def internal_error(error):
    # A failed request may leave the session mid-transaction; the error page must not inherit it.
    db.session.rollback()
    # Flask has already logged the traceback (flask.app); this is the line to alert on.
    original = getattr(error, "original_exception", None) or error
    logs.event(logs.ERRORS, "server_error", level=logging.ERROR, error=type(original).__name__)
    return _page(500)
