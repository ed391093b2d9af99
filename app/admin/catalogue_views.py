"""Admins publish new catalogue versions; old reviews keep theirs."""

import json

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.admin import bp
from app.admin.forms import CataloguePublishForm
from app.domain.errors import CatalogueInvalid
from app.security import admin_required
from app.services import catalogue
from app.view_helpers import current_account


@bp.route("/catalogue", methods=["GET", "POST"])
@admin_required
def catalogue_edit():
    form = CataloguePublishForm()
    current = catalogue.latest_version()
    if request.method == "GET":
        document = {k: v for k, v in current.document.items() if k != "version"}
        form.document.data = json.dumps(document, indent=2, ensure_ascii=False)
    elif form.validate_on_submit():
        try:
            document = json.loads(form.document.data)
            if not isinstance(document, dict):
                raise ValueError("the document must be a JSON object")
            row = catalogue.publish_catalogue(document, current_account())
        except (ValueError, CatalogueInvalid) as error:
            form.document.errors.append(str(error))
        else:
            flash(_("Catalogue version %(n)d published.", n=row.version), "success")
            return redirect(url_for("admin.catalogue_edit"))
    status = 200 if request.method == "GET" else 400
    return render_template(
        "admin/catalogue.html", form=form, current=current, versions=catalogue.all_versions()
    ), status
