"""A user's own settings: the language Candor speaks to them."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from app.main import bp
from app.main.forms import BROWSER_CHOICE, LanguageForm
from app.messages import error_text
from app.services import users
from app.services.errors import ServiceError
from app.view_helpers import current_account


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    me = current_account()
    form = LanguageForm()
    if request.method == "GET":
        form.language.data = me.language or BROWSER_CHOICE
    elif form.validate_on_submit():
        try:
            users.set_language(me, form.language.data or None)
        except ServiceError as error:
            form.language.errors.append(error_text(error))
        else:
            flash(_("Your language is saved."), "success")
            return redirect(url_for("main.profile"))
    status = 200 if request.method == "GET" else 400
    return render_template("main/profile.html", form=form), status
