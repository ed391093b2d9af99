"""Admins publish new catalogue versions; old reviews keep theirs."""

import json

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.admin import bp
from app.admin.forms import CataloguePublishForm
from app.catalogue_messages import problem_text
from app.domain.errors import CatalogueInvalid
from app.messages import error_text
from app.security import admin_required
from app.services import catalogue
from app.services.errors import ServiceError
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
        problems = _problems_publishing(form.document.data)
        if problems is None:
            return redirect(url_for("admin.catalogue_edit"))
        form.document.errors.extend(problems)
    status = 200 if request.method == "GET" else 400
    return render_template(
        "admin/catalogue.html", form=form, current=current, versions=catalogue.all_versions()
    ), status


def _problems_publishing(text: str) -> list[str] | None:
    """Publish the edited document; None when it was published, else every problem."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        return [
            _(
                "The text is not valid JSON at line %(line)d, column %(column)d: check the "
                "commas, quotes and brackets there.",
                line=error.lineno,
                column=error.colno,
            )
        ]
    try:
        row = catalogue.publish_catalogue(document, current_account())
    except CatalogueInvalid as error:
        return [problem_text(problem) for problem in error.problems]
    except ServiceError as error:
        return [error_text(error)]
    flash(_("Catalogue version %(n)d published.", n=row.version), "success")
    return None
