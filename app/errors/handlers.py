import logging

from flask import current_app, g, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from app import logs
from app.errors import bp
from app.extensions import db, login_manager
from app.respond.errors import client_error_page

# How long a client or load balancer should wait before asking again.
RETRY_AFTER_SECONDS = 30


def _page(status: int, error=None):
    if request.blueprint == "respond":
        return client_error_page(status)
    return render_template(f"errors/{status}.html", error=error), status


def _forget_the_transaction() -> None:
    # A failed request may leave the session mid-transaction; the error page must not
    # inherit it. With the database gone even the rollback can fail: nothing to keep then.
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 - any failure here means there is nothing to undo
        db.session.remove()


def _unavailable():
    """The database cannot be reached: a page that needs no row, with Retry-After."""
    _forget_the_transaction()
    # Templates get `current_user` from Flask-Login's context processor, which would ask
    # the database again: for this response, nobody is logged in.
    g._login_user = login_manager.anonymous_user()
    body = render_template("errors/503.html")
    return body, 503, {"Retry-After": str(RETRY_AFTER_SECONDS)}


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


# Connection refused, the server gone mid-request, an exhausted pool: an outage, not a bug.
@bp.app_errorhandler(OperationalError)
@bp.app_errorhandler(InterfaceError)
@bp.app_errorhandler(PoolTimeout)
def database_unavailable(error):
    current_app.logger.error("Database unavailable: %s", error.__class__.__name__)
    return _unavailable()


@bp.app_errorhandler(500)
def internal_error(error):
    _forget_the_transaction()
    # Flask has already logged the traceback (flask.app); this is the line to alert on.
    original = getattr(error, "original_exception", None) or error
    logs.event(logs.ERRORS, "server_error", level=logging.ERROR, error=type(original).__name__)
    try:
        return _page(500)
    except (OperationalError, InterfaceError, PoolTimeout):
        # The layout asks the database for the user; when that fails too, it is down.
        return _unavailable()
