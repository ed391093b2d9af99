"""What the include-partials on shared pages ask for (review page, open form, comparison,
decision, client page). Each is built for the current reader by a service, so the shared
views need no change beyond one include line in their templates."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import format_decimal
from flask_login import current_user

from app.domain.record import incidents_of_record
from app.ids import as_id
from app.incidents import bp
from app.incidents.forms import KIND_LABELS
from app.services import handling, incidents, offboarding
from app.view_helpers import current_account


@bp.app_template_global()
def attached_incidents_for(review) -> list:
    """The entries attached to `review` that the current reader may see now."""
    if not current_user.is_authenticated:
        return []
    return incidents.attached_visible_to(review, current_account())


@bp.app_template_global()
def attachable_incidents(client_id) -> list:
    """Entries a lead may attach when opening a review for the client chosen in the URL."""
    if not current_user.is_authenticated or current_user.role not in ("lead", "admin"):
        return []
    client_id = as_id(client_id)
    return incidents.attachable_entries(client_id) if client_id else []


@bp.app_template_global()
def client_handling(client):
    return handling.client_handling(client.id)


@bp.app_template_global()
def offboarding_progress(client):
    """(kit, (done, total)) or None when the client has no kit."""
    kit = offboarding.kit_of(client.id)
    if kit is None:
        return None
    return kit, offboarding.progress_of(kit)


@bp.app_template_filter()
def incident_kind(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))


@bp.app_template_filter()
def minor_amount(value: int | None) -> str:
    """Minor units as an amount with two decimals in the reader's language ("123450" ->
    "1,234.50" in English, "1.234,50" in Danish); Decimal keeps the cents exact."""
    if value is None:
        return "—"
    return format_decimal(Decimal(value) / 100, "#,##0.00")


@bp.app_template_global()
def sealed_incidents_of(decision) -> list:
    """The entries a decision's record sealed; none for records from before the log."""
    try:
        return incidents_of_record(decision.record)
    except ValueError:
        return []
