from functools import partial

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from app.clients import bp
from app.clients.forms import ClientEditForm
from app.forms import ActionForm
from app.messages import error_text
from app.security import lead_required
from app.services import clients
from app.services.archive import client_history
from app.services.errors import DuplicateClientName, InvalidInput
from app.view_helpers import current_account, or_abort


def _client_or_404(client_id: int):
    return or_abort(lambda: clients.find_client(client_id))


@bp.route("/")
@login_required
def index():
    show_archived = request.args.get("archived") == "1"
    return render_template(
        "clients/index.html",
        clients=clients.list_clients(include_archived=show_archived),
        show_archived=show_archived,
    )


def _save(form: ClientEditForm, save):
    """Run one save use case with the form's values; a refused name becomes the name
    field's error (the form is shown again with everything typed kept)."""
    try:
        return save(
            form.name.data,
            form.contact_name.data or "",
            form.contact_email.data or "",
            form.notes.data or "",
            current_account(),
            language=form.language.data,
        )
    except (DuplicateClientName, InvalidInput) as error:
        form.name.errors = [*form.name.errors, error_text(error)]
        return None


def _form_page(form: ClientEditForm, client):
    status = 200 if request.method == "GET" or not form.errors else 400
    return render_template("clients/edit.html", form=form, client=client), status


@bp.route("/new", methods=["GET", "POST"])
@lead_required
def create():
    form = ClientEditForm()
    if form.validate_on_submit() and (client := _save(form, clients.create_client)):
        flash(_("Client %(name)s created.", name=client.name), "success")
        return redirect(url_for("clients.detail", client_id=client.id))
    return _form_page(form, None)


@bp.route("/<int:client_id>")
@login_required
def detail(client_id: int):
    client = _client_or_404(client_id)
    reader = current_account()
    return render_template(
        "clients/detail.html",
        client=client,
        action_form=ActionForm(),
        history=client_history(client, reader),
        status_history=clients.status_history(client, reader),
    )


@bp.route("/<int:client_id>/edit", methods=["GET", "POST"])
@lead_required
def edit(client_id: int):
    client = _client_or_404(client_id)
    form = ClientEditForm(obj=client)
    update = partial(clients.update_client, client.id)
    if form.validate_on_submit() and _save(form, update):
        flash(_("Client saved."), "success")
        return redirect(url_for("clients.detail", client_id=client.id))
    return _form_page(form, client)


@bp.route("/<int:client_id>/archive", methods=["POST"])
@lead_required
def archive(client_id: int):
    return _set_archived(
        client_id, True, _("Client archived. It stays in the archive of decisions.")
    )


@bp.route("/<int:client_id>/restore", methods=["POST"])
@lead_required
def restore(client_id: int):
    return _set_archived(client_id, False, _("Client restored."))


def _set_archived(client_id: int, archived: bool, message: str):
    _client_or_404(client_id)
    if ActionForm().validate_on_submit():
        clients.set_archived(client_id, archived, current_account())
        flash(message, "success")
    return redirect(url_for("clients.detail", client_id=client_id))
