from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.admin import bp
from app.admin.forms import UserCreateForm, UserRoleForm
from app.forms import ActionForm
from app.messages import error_text
from app.security import admin_required
from app.services import users
from app.services.errors import EmailAlreadyUsed, ServiceError
from app.view_helpers import current_account, or_abort


@bp.route("/users")
@admin_required
def user_list():
    return render_template(
        "admin/users.html",
        users=users.list_users(),
        action_form=ActionForm(),
        role_form=UserRoleForm(),
    )


@bp.route("/users/new", methods=["GET", "POST"])
@admin_required
def user_create():
    form = UserCreateForm()
    if form.validate_on_submit():
        try:
            user = users.create_user(
                form.email.data,
                form.name.data,
                form.role.data,
                form.password.data,
                actor=current_account(),
            )
        except EmailAlreadyUsed as error:
            form.email.errors.append(error_text(error))
        except ServiceError as error:
            form.password.errors.append(error_text(error))
        else:
            flash(_("User %(email)s created.", email=user.email), "success")
            return redirect(url_for("admin.user_list"))
    status = 200 if request.method == "GET" or not form.errors else 400
    return render_template("admin/user_new.html", form=form), status


@bp.route("/users/<int:user_id>/role", methods=["POST"])
@admin_required
def user_role(user_id: int):
    form = UserRoleForm()
    if not form.validate_on_submit():
        flash(_("Choose a known role."), "error")
        return redirect(url_for("admin.user_list")), 303
    return _apply(
        lambda: users.set_role(user_id, form.role.data, current_account()),
        _("Role changed."),
    )


@bp.route("/users/<int:user_id>/deactivate", methods=["POST"])
@admin_required
def user_deactivate(user_id: int):
    return _toggle(user_id, False, _("User deactivated; their sessions have ended."))


@bp.route("/users/<int:user_id>/activate", methods=["POST"])
@admin_required
def user_activate(user_id: int):
    return _toggle(user_id, True, _("User activated."))


def _toggle(user_id: int, active: bool, message: str):
    if not ActionForm().validate_on_submit():
        return redirect(url_for("admin.user_list")), 303
    return _apply(lambda: users.set_active(user_id, active, current_account()), message)


def _apply(change, success_message: str):
    try:
        or_abort(change)
    except ServiceError as error:
        flash(error_text(error), "error")
    else:
        flash(success_message, "success")
    return redirect(url_for("admin.user_list"))
