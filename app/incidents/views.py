"""The client incident log: read (within the reader's scope), record, correct."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from wtforms import SelectChoice

from app.domain.handling import DRAFT_KEYS
from app.domain.incidents import EntryInput
from app.incidents import bp
from app.incidents.forms import IncidentForm, amount_to_minor
from app.incidents.messages import problem_text
from app.models import utcnow
from app.services import clients, incidents
from app.services.catalogue import catalogue_of, latest_version
from app.services.errors import InvalidInput, NotFound
from app.view_helpers import current_account, or_abort


def _form(**kwargs) -> IncidentForm:
    form = IncidentForm(**kwargs)
    try:
        categories = catalogue_of(latest_version()).categories
    except NotFound:
        categories = ()
    form.category_key.choices = [SelectChoice("", _("None"))] + [
        SelectChoice(c.key, c.name) for c in categories
    ]
    return form


def _given(form: IncidentForm) -> EntryInput:
    return EntryInput(
        kind=form.kind.data,
        occurred_on=form.occurred_on.data,
        text=form.text.data or "",
        category_key=form.category_key.data or None,
        amount_minor=amount_to_minor(form.amount.data),
        currency=form.currency.data or "",
        invoice_ref=form.invoice_ref.data or "",
    )


@bp.route("/<int:client_id>/")
@login_required
def log(client_id: int):
    client = or_abort(lambda: clients.find_client(client_id))
    entries = incidents.entries_visible_to(client.id, current_account())
    return render_template(
        "incidents/log.html",
        client=client,
        entries=entries,
        corrected=incidents.corrected_ids(entries),
        whole_log=incidents.sees_whole_log(current_account()),
        draft_keys=DRAFT_KEYS,
    )


def _save(client, form, save, template, **context):
    """Validate, call the service, map its refusal to the field it names."""
    if form.validate_on_submit():
        try:
            save(_given(form))
        except InvalidInput as error:
            field = getattr(form, error.field or "text", form.text)
            field.errors = [*field.errors, problem_text(error)]
        else:
            flash(_("Entry recorded in the client's log."), "success")
            return redirect(url_for("incidents.log", client_id=client.id))
    status = 200 if request.method == "GET" else 400
    return render_template(template, client=client, form=form, **context), status


@bp.route("/<int:client_id>/new", methods=["GET", "POST"])
@login_required
def new(client_id: int):
    client = or_abort(lambda: clients.find_client(client_id))
    form = _form()
    if request.method == "GET":
        form.occurred_on.data = utcnow().date()
    return _save(
        client,
        form,
        lambda given: incidents.record_entry(client.id, current_account(), given, utcnow()),
        "incidents/entry_form.html",
        original=None,
    )


@bp.route("/<int:client_id>/<int:entry_id>/correct", methods=["GET", "POST"])
@login_required
def correct(client_id: int, entry_id: int):
    client = or_abort(lambda: clients.find_client(client_id))
    original = or_abort(lambda: incidents.entry_for(client.id, entry_id, current_account()))
    form = _form()
    if request.method == "GET":
        form.kind.data = original.kind if original.kind != "message_sent" else "other"
        form.occurred_on.data = original.occurred_on
        form.text.data = original.text
        form.category_key.data = original.category_key or ""
        form.currency.data = original.currency
        form.invoice_ref.data = original.invoice_ref
        if original.amount_minor is not None:
            form.amount.data = f"{original.amount_minor // 100}.{original.amount_minor % 100:02d}"
    return _save(
        client,
        form,
        lambda given: incidents.correct_entry(
            client.id, original.id, current_account(), given, utcnow()
        ),
        "incidents/entry_form.html",
        original=original,
    )
