from urllib.parse import urlsplit

from flask import (
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required, login_user, logout_user

from app import logs
from app.auth import bp
from app.auth.forms import LoginForm, LogoutForm, PasswordChangeForm
from app.auth.throttle import remember_device, throttle_for
from app.messages import error_text
from app.models import utcnow
from app.rate_limits import limited
from app.security import LOGIN_SESSION_KEY
from app.services import sessions, users
from app.services.errors import InvalidCredentials, ServiceError
from app.view_helpers import current_account


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _safe_next(target: str | None) -> str:
    # Only same-site relative paths: an absolute "next" would be an open redirect.
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and not urlsplit(target).netloc
    ):
        return target
    return url_for("main.dashboard")


def _login_page(form: LoginForm, status: int, retry_after: int = 0):
    response = make_response(render_template("auth/login.html", form=form), status)
    if retry_after:
        response.headers["Retry-After"] = str(retry_after)
    return response


# Per address only: per account, failures slow down (app/auth/throttle.py) instead of
# refusing the owner's right password.
@bp.route("/login", methods=["GET", "POST"])
@limited(_login_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = LoginForm(next=request.args.get("next", ""))
    if not form.validate_on_submit():
        return _login_page(form, 200 if request.method == "GET" else 400)
    throttle = throttle_for(form.email.data)
    wait = throttle.wait_seconds()
    if wait:
        form.password.errors.append(
            ngettext(
                "Too many failed attempts for this account. Try again in %(num)d second.",
                "Too many failed attempts for this account. Try again in %(num)d seconds.",
                wait,
            )
        )
        logs.event(logs.SECURITY, "login_delayed", email=form.email.data.strip()[:254], wait=wait)
        return _login_page(form, 429, retry_after=wait)
    try:
        user = users.authenticate(form.email.data, form.password.data)
    except InvalidCredentials as error:
        # The address typed, never the password; the same line for every failure.
        logs.event(logs.SECURITY, "login_failed", email=form.email.data.strip()[:254])
        throttle.failed()
        form.password.errors.append(error_text(error))
        return _login_page(form, 400)
    throttle.succeeded()
    token = sessions.start_session(user, utcnow())
    # A fresh session at login: nothing from before authentication carries over.
    session.clear()
    login_user(user)
    session[LOGIN_SESSION_KEY] = token
    session.permanent = True
    response = redirect(_safe_next(form.next.data))
    remember_device(response, form.email.data)
    return response


@bp.route("/logout", methods=["POST"])
def logout():
    form = LogoutForm()
    if form.validate_on_submit():
        # Ended on the server first: a copy of this cookie is worth nothing afterwards.
        sessions.end_session(session.get(LOGIN_SESSION_KEY), utcnow())
        logout_user()
        session.clear()
        flash(_("You are logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            users.change_password(current_account(), form.current.data, form.new.data)
        except ServiceError as error:
            form.current.errors.append(error_text(error))
        else:
            login_user(current_account())
            flash(_("Your password is changed. Other sessions were logged out."), "success")
            return redirect(url_for("main.dashboard"))
    status = 200 if request.method == "GET" or not form.errors else 400
    return render_template("auth/password.html", form=form), status
