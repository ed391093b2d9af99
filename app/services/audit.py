"""The audit log: one row per state change, written inside the caller's transaction."""

from __future__ import annotations

import json

from sqlalchemy import insert

from app.extensions import db
from app.models import AuditEvent, User, utcnow

# Built once, the values sent as parameters: every change writes an event, and building
# the statement cost about as much as sending it.
_INSERT_EVENT = insert(AuditEvent.__table__)


def event_row(
    action: str,
    object_type: str,
    object_id: int | None,
    actor: User | None = None,
    actor_label: str = "",
    **details,
) -> dict:
    """An event's column values, for `write` or for a statement that writes its row
    together with the change it describes (a member's first answer, response_rows.py)."""
    return {
        "at": utcnow(),
        "actor_id": actor.id if actor else None,
        "actor_label": actor_label or (actor.email if actor else "system"),
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "details": json.dumps(details, sort_keys=True, default=str) if details else "",
    }


def record(
    action: str,
    object_type: str,
    object_id: int | None,
    actor: User | None = None,
    actor_label: str = "",
    **details,
) -> None:
    write(event_row(action, object_type, object_id, actor, actor_label, **details))


def write(event: dict) -> None:
    """Write an event made by `event_row`."""
    # Whatever the caller has pending goes first, so events keep the order of the changes
    # they describe; then one plain INSERT (the ORM's unit of work for a single row that
    # nothing reads back cost more than the statement itself).
    db.session.flush()
    db.session.connection().execute(_INSERT_EVENT, event)
