"""Message drafts for the handling steps: the lead edits and copies one; marking it sent
(or sending it, when SMTP is configured) leaves an entry in the client's log."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.domain.handling import DRAFT_KEYS
from app.incidents import bp
from app.incidents.drafts import render_client_text, render_draft
from app.incidents.forms import DraftForm
from app.incidents.messages import problem_text
from app.models import utcnow
from app.security import lead_required
from app.services import clients, incidents
from app.services.errors import ServiceError
from app.services.mail import mail_enabled
from app.view_helpers import current_account, or_abort


def _draft_context(client_id: int) -> dict:
    """Facts a draft may quote: the open questions, the latest unpaid invoice, the problems."""
    entries = incidents.entries_visible_to_lead(client_id)
    replaced = incidents.corrected_ids(entries)
    current = [e for e in entries if e.id not in replaced]
    payments = [e for e in current if e.kind == "late_payment"]
    return {
        "open_questions": [e for e in current if e.kind == "unanswered_question"][-5:],
        "payment": payments[-1] if payments else None,
        "problems": [e for e in current if e.kind != "message_sent"][-5:],
        "sender": current_account().name,
    }


@bp.route("/<int:client_id>/drafts/<key>", methods=["GET", "POST"])
@lead_required
def draft(client_id: int, key: str):
    client = or_abort(lambda: clients.find_client(client_id))
    if key not in DRAFT_KEYS:
        abort(404)
    form = DraftForm()
    can_send = mail_enabled() and bool(client.contact_email)
    if request.method == "GET":
        form.text.data = render_draft(client, key, **_draft_context(client.id))
    elif form.validate_on_submit():
        by_mail = bool(form.send.data)
        if by_mail and not can_send:
            abort(400)
        try:
            incidents.deliver_message(
                client.id,
                current_account(),
                key,
                render_client_text(client, "incidents/drafts/subject.txt", key=key),
                form.text.data,
                utcnow(),
                by_mail=by_mail,
            )
        except ServiceError as error:
            form.text.errors = [*form.text.errors, problem_text(error)]
        else:
            flash(_("Message sent and logged.") if by_mail else _("Logged as sent."), "success")
            return redirect(url_for("incidents.log", client_id=client.id))
    status = 200 if request.method == "GET" else 400
    return render_template(
        "incidents/draft.html", client=client, form=form, key=key, can_send=can_send
    ), status
