"""The offboarding kit's pages: one page with the checklist, a POST per step, and the
printable closing report. Leads and admins only; every step is audited by the service."""

from __future__ import annotations

from dataclasses import replace

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from app.domain.offboarding import handover_allowed
from app.forms import ActionForm
from app.incidents.drafts import render_client_text
from app.incidents.messages import problem_text
from app.models import utcnow
from app.offboarding import bp
from app.offboarding.forms import (
    FINAL_STATUS_LABELS,
    AccountForm,
    PaymentsForm,
    ReasonForm,
    ReportForm,
    StatusForm,
)
from app.security import lead_required
from app.services import clients, offboarding
from app.services.errors import ServiceError
from app.view_helpers import current_account, or_abort


def _client(client_id: int):
    return or_abort(lambda: clients.find_client(client_id))


def _kit(client):
    kit = offboarding.kit_of(client.id)
    if kit is None:
        abort(404)
    return kit


def report_draft(client, kit, work_done: str | None = None) -> str:
    """The closing report as Candor would write it from what it knows; the lead edits it.
    `work_done` stands in for the saved text when the lead has just typed a new one."""
    facts = offboarding.report_facts(kit, utcnow().date())
    if work_done is not None:
        facts = replace(facts, work_done=work_done.strip())
    return render_client_text(client, "offboarding/report_draft.txt", facts=facts)


def _back(client_id: int):
    return redirect(url_for("offboarding.kit", client_id=client_id) + "#checklist")


def _run(client_id: int, step, done: str):
    """Run one step; a refusal is flashed in the reader's language."""
    try:
        step()
    except ServiceError as error:
        flash(problem_text(error), "error")
    else:
        flash(done, "success")
    return _back(client_id)


@bp.route("/<int:client_id>/")
@lead_required
def kit(client_id: int):
    client = _client(client_id)
    kit = offboarding.kit_of(client.id)
    context = {"client": client, "kit": kit, "action_form": ActionForm()}
    if kit is None:
        return render_template("offboarding/kit.html", **context)
    report_form = ReportForm(work_done=kit.work_done, report=kit.report_text)
    if not kit.report_text:
        report_form.report.data = report_draft(client, kit)
    payments_form = PaymentsForm(override=kit.payments_override)
    if kit.payments_current is not None:
        payments_form.current.data = "yes" if kit.payments_current else "no"
    return render_template(
        "offboarding/kit.html",
        **context,
        progress=offboarding.progress_of(kit),
        handover_open=handover_allowed(kit.payments_current, kit.payments_override),
        account_form=AccountForm(),
        payments_form=payments_form,
        report_form=report_form,
        reason_form=ReasonForm(reason=kit.reason_statement),
        status_form=StatusForm(final_status=kit.final_status),
        status_labels=FINAL_STATUS_LABELS,
        closing=offboarding.closing_record_of(kit),
    )


@bp.route("/<int:client_id>/open", methods=["POST"])
@lead_required
def open_kit(client_id: int):
    client = _client(client_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    return _run(
        client.id,
        lambda: offboarding.open_kit(client.id, current_account(), utcnow()),
        _("Offboarding kit opened."),
    )


def _form_step(client_id: int, form, step, done: str):
    """A step with a form: invalid input is flashed and nothing is saved."""
    client = _client(client_id)
    _kit(client)
    if not form.validate_on_submit():
        if not form.errors or "csrf_token" in form.errors:
            abort(400)
        for errors in form.errors.values():
            for message in errors:
                flash(message, "error")
        return _back(client.id), 303
    return _run(client.id, lambda: step(client, form), done)


@bp.route("/<int:client_id>/accounts", methods=["POST"])
@lead_required
def add_account(client_id: int):
    return _form_step(
        client_id,
        AccountForm(),
        lambda c, f: offboarding.add_account(c.id, current_account(), f.name.data, f.platform.data),
        _("Account added to the checklist."),
    )


@bp.route("/<int:client_id>/accounts/<int:account_id>/handed-over", methods=["POST"])
@lead_required
def hand_over(client_id: int, account_id: int):
    client = _client(client_id)
    _kit(client)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        offboarding.hand_over(client.id, account_id, current_account(), utcnow())
    except ServiceError as error:
        if error.code == "not_found":
            abort(404)
        flash(problem_text(error), "error")
    else:
        flash(_("Account marked as handed over."), "success")
    return _back(client.id)


@bp.route("/<int:client_id>/payments", methods=["POST"])
@lead_required
def payments(client_id: int):
    return _form_step(
        client_id,
        PaymentsForm(),
        lambda c, f: offboarding.record_payments(
            c.id, current_account(), f.current.data == "yes", f.override.data or "", utcnow()
        ),
        _("Payments recorded."),
    )


@bp.route("/<int:client_id>/report", methods=["POST"])
@lead_required
def report(client_id: int):
    def save(client, form):
        text = form.report.data or ""
        if form.regenerate.data:
            text = report_draft(client, _kit(client), form.work_done.data or "")
        offboarding.save_report(client.id, current_account(), form.work_done.data, text, utcnow())

    return _form_step(client_id, ReportForm(), save, _("Closing report saved."))


@bp.route("/<int:client_id>/reason", methods=["POST"])
@lead_required
def reason(client_id: int):
    return _form_step(
        client_id,
        ReasonForm(),
        lambda c, f: offboarding.save_reason(c.id, current_account(), f.reason.data, utcnow()),
        _("Reason statement saved."),
    )


@bp.route("/<int:client_id>/status", methods=["POST"])
@lead_required
def status(client_id: int):
    return _form_step(
        client_id,
        StatusForm(),
        lambda c, f: offboarding.set_final_status(
            c.id, current_account(), f.final_status.data, utcnow()
        ),
        _("Final status set."),
    )


@bp.route("/<int:client_id>/complete", methods=["POST"])
@lead_required
def complete(client_id: int):
    client = _client(client_id)
    _kit(client)
    if not ActionForm().validate_on_submit():
        abort(400)
    return _run(
        client.id,
        lambda: offboarding.complete_kit(client.id, current_account(), utcnow()),
        _("Kit completed: the closing report and checklist are sealed in the archive."),
    )


@bp.route("/<int:client_id>/report/print")
@lead_required
def print_report(client_id: int):
    """The closing report as a clean page: the sealed text once completed, else the draft."""
    client = _client(client_id)
    kit = _kit(client)
    closing = offboarding.closing_record_of(kit)
    sealed = offboarding.sealed_report(closing) if closing else None
    return render_template(
        "offboarding/print.html",
        client=client,
        kit=kit,
        closing=closing,
        report=sealed["report"] if sealed else (kit.report_text or report_draft(client, kit)),
        reason=sealed["reason_statement"] if sealed else kit.reason_statement,
        status_labels=FINAL_STATUS_LABELS,
        final_status=sealed["final_status"] if sealed else kit.final_status,
        accounts=sealed["accounts"] if sealed else None,
    )
