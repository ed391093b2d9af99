"""Jinja globals and filters shared by every template."""

from __future__ import annotations

from datetime import datetime

from flask import Flask
from flask_babel import format_datetime
from flask_babel import lazy_gettext as _l

STATUS_LABELS = {
    "active": _l("Active"),
    "under_review": _l("Under review"),
    "blacklisted": _l("Blacklisted"),
    "cleared": _l("Cleared"),
}
ROLE_LABELS = {"member": _l("Member"), "lead": _l("Lead"), "admin": _l("Admin")}


def init_app(app: Flask) -> None:
    @app.template_filter("when")
    def when(value: datetime | None) -> str:
        if value is None:
            return "—"
        return format_datetime(value, "yyyy-MM-dd HH:mm 'UTC'")

    @app.template_filter("status_label")
    def status_label(value: str) -> str:
        return str(STATUS_LABELS.get(value, value))

    @app.template_filter("role_label")
    def role_label(value: str) -> str:
        return str(ROLE_LABELS.get(value, value))
