"""The archive of decisions: list, detail, chart, printable page and exports.

Every route asks the archive service for what the current user may see; a decision
outside that scope is a 404, exactly like one that does not exist.
"""

from __future__ import annotations

import json

from flask import Response, abort, render_template, request, stream_with_context
from flask_babel import gettext as _
from flask_login import login_required

from app.archive import bp, export_labels
from app.archive.decision_block import decision_block
from app.archive.forms import ArchiveFilterForm
from app.archive.verification import problem_text
from app.i18n import current_language
from app.models import utcnow
from app.services import archive, archive_export
from app.services.archive_verify import verify_one
from app.view_helpers import current_account, or_abort

bp.add_app_template_filter(problem_text, "verification_problem")


def _decision_or_404(decision_id: int):
    return or_abort(lambda: archive.find_decision(decision_id, current_account()))


def _page_number() -> int:
    value = request.args.get("page", "1")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else 1


def _filter_args(form: ArchiveFilterForm) -> dict[str, str]:
    """The current filters as query arguments, for pagination and export links."""
    return {
        name: value
        for name in ("q", "client", "category", "outcome", "lead", "date_from", "date_to")
        if (value := request.args.get(name, "")) and name in form
    }


def _read_filters():
    form = ArchiveFilterForm(request.args, archive.filter_choices())
    return form, (form.filters() if form.validate() else None)


def _invalid(form: ArchiveFilterForm):
    return (
        render_template("archive/index.html", form=form, page=None, filter_args={}),
        400,
    )


def _invalid_export(form: ArchiveFilterForm) -> Response:
    """A download that cannot be made: a plain 400 saying which filter is wrong."""
    lines = [_("Some filters are not valid, so nothing was exported.")]
    for field in form:
        lines.extend(f"{field.label.text}: {error}" for error in field.errors)
    return Response("\n".join(lines) + "\n", status=400, mimetype="text/plain")


@bp.route("/")
@login_required
def index():
    form, filters = _read_filters()
    if filters is None:
        return _invalid(form)
    page = archive.list_decisions(current_account(), filters, _page_number())
    return render_template(
        "archive/index.html", form=form, page=page, filter_args=_filter_args(form)
    )


def _download(chunks, mimetype: str, filename: str) -> Response:
    return Response(
        stream_with_context(chunks),
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _stamp() -> str:
    return utcnow().strftime("%Y%m%d-%H%M%S")


@bp.route("/export.csv")
@login_required
def export_csv():
    form, filters = _read_filters()
    if filters is None:
        return _invalid_export(form)
    rows = archive_export.export_rows(current_account(), filters)
    archive_export.record_export(
        current_account(), "csv", "archive", None, filters=filters.as_dict()
    )
    chunks = archive_export.csv_chunks(
        rows, headings=export_labels.headings(), words=export_labels.yes_no()
    )
    return _download(chunks, "text/csv", f"candor-archive-{_stamp()}.csv")


@bp.route("/export.json")
@login_required
def export_json():
    form, filters = _read_filters()
    if filters is None:
        return _invalid_export(form)
    rows = archive_export.export_rows(current_account(), filters)
    archive_export.record_export(
        current_account(), "json", "archive", None, filters=filters.as_dict()
    )
    meta = {
        "exported_at": utcnow().isoformat(),
        "filters": filters.as_dict(),
        "labels": export_labels.headings(),
        "language": current_language(),
    }
    return _download(
        archive_export.json_chunks(rows, meta),
        "application/json",
        f"candor-archive-{_stamp()}.json",
    )


@bp.route("/<int:decision_id>")
@login_required
def detail(decision_id: int):
    decision = _decision_or_404(decision_id)
    earlier, later = archive.same_client(decision, current_account())
    return render_template(
        "archive/detail.html",
        decision=decision,
        block=decision_block(decision),
        check=verify_one(decision),
        earlier=earlier,
        later=later,
    )


@bp.route("/<int:decision_id>/print")
@login_required
def printable(decision_id: int):
    decision = _decision_or_404(decision_id)
    archive_export.record_export(current_account(), "print", "decision", decision.id)
    return render_template(
        "archive/print.html",
        decision=decision,
        block=decision_block(decision),
        check=verify_one(decision),
        printed_at=utcnow(),
    )


@bp.route("/<int:decision_id>/export.json")
@login_required
def export_decision_json(decision_id: int):
    decision = _decision_or_404(decision_id)
    document = archive_export.decision_document(decision)
    archive_export.record_export(current_account(), "json", "decision", decision.id)
    body = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True)
    filename = f"candor-decision-{decision.sequence}.json"
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.route("/<int:decision_id>/chart.<fmt>")
@login_required
def chart(decision_id: int, fmt: str):
    from app.charts import KINDS, MEDIA_TYPES
    from app.services.charts import archived_chart

    kind = request.args.get("kind", "divergence")
    if fmt not in MEDIA_TYPES or kind not in KINDS:
        abort(404)
    decision = _decision_or_404(decision_id)
    try:
        body = or_abort(lambda: archived_chart(decision, kind, fmt))
    except (AttributeError, KeyError, TypeError, ValueError):
        # An archived record whose snapshot cannot be drawn (changed behind the app's back).
        abort(404)
    return Response(body, mimetype=MEDIA_TYPES[fmt])
