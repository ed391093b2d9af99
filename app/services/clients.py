"""Clients and their status history."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import CLIENT_STATUSES, Client, ClientStatusChange, User, utcnow
from app.services import audit
from app.services._tx import transaction
from app.services.errors import NotFound, ServiceError


def find_client(client_id: int) -> Client:
    client = db.session.get(Client, client_id)
    if client is None:
        raise NotFound("No such client.")
    return client


def list_clients(include_archived: bool = False) -> list[Client]:
    query = select(Client).order_by(Client.name)
    if not include_archived:
        query = query.where(Client.archived_at.is_(None))
    return list(db.session.scalars(query))


def create_client(
    name: str, contact_name: str, contact_email: str, notes: str, actor: User
) -> Client:
    with transaction():
        client = Client(
            name=name.strip(),
            contact_name=contact_name.strip(),
            contact_email=contact_email.strip().lower(),
            notes=notes,
            status="active",
        )
        db.session.add(client)
        db.session.flush()
        db.session.add(
            ClientStatusChange(
                client_id=client.id,
                from_status=None,
                to_status="active",
                changed_by_id=actor.id,
                reason="Client created",
            )
        )
        audit.record("client.created", "client", client.id, actor, name=client.name)
    return client


def update_client(
    client_id: int, name: str, contact_name: str, contact_email: str, notes: str, actor: User
) -> Client:
    with transaction():
        client = find_client(client_id)
        client.name = name.strip()
        client.contact_name = contact_name.strip()
        client.contact_email = contact_email.strip().lower()
        client.notes = notes
        audit.record("client.updated", "client", client.id, actor)
    return client


def set_archived(client_id: int, archived: bool, actor: User) -> Client:
    with transaction():
        client = find_client(client_id)
        client.archived_at = utcnow() if archived else None
        audit.record(
            "client.archived" if archived else "client.restored", "client", client.id, actor
        )
    return client


def change_status(client: Client, to_status: str, actor: User | None, reason: str) -> None:
    """Inside the caller's transaction: status moves are part of a larger use case."""
    if to_status not in CLIENT_STATUSES:
        raise ServiceError(f"Unknown client status {to_status!r}.")
    if client.status == to_status:
        return
    db.session.add(
        ClientStatusChange(
            client_id=client.id,
            from_status=client.status,
            to_status=to_status,
            changed_by_id=actor.id if actor else None,
            reason=reason,
        )
    )
    audit.record(
        "client.status_changed",
        "client",
        client.id,
        actor,
        old=client.status,
        new=to_status,
        reason=reason,
    )
    client.status = to_status
