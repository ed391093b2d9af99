from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app import logs
from app.auth import bp
from app.auth.forms import LoginForm, LogoutForm, PasswordChangeForm
from app.extensions import limiter
from app.messages import error_text
from app.services import users
from app.services.errors import InvalidCredentials, ServiceError
from app.view_helpers import current_account


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _account_key() -> str:
    return "login-account:" + request.form.get("email", "").strip().lower()[:254]


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


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@limiter.limit(_login_limit, methods=["POST"], key_func=_account_key)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        try:
            user = users.authenticate(form.email.data, form.password.data)
        except InvalidCredentials as error:
            # The address typed, never the password; the same line for every failure.
            logs.event(logs.SECURITY, "login_failed", email=form.email.data.strip()[:254])
            form.password.errors.append(error_text(error))
        else:
            # A fresh session at login: nothing from before authentication carries over.
            session.clear()
            login_user(user)
            session.permanent = True
            return redirect(_safe_next(form.next.data))
    status = 200 if request.method == "GET" or not form.errors else 400
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
def logout():
    form = LogoutForm()
    if form.validate_on_submit():
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
