"""Clients and their status history."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.domain.catalogue_texts import CATALOGUE_LANGUAGES
from app.domain.names import name_key
from app.extensions import db
from app.models import (
    CLIENT_STATUSES,
    Client,
    ClientStatusChange,
    Decision,
    Review,
    User,
    utcnow,
)
from app.services import audit
from app.services._tx import transaction
from app.services.errors import DuplicateClientName, InvalidInput, NotFound, ServiceError
from app.services.review_lists import reviews_taken_part_in


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


def _check_name_free(name: str, client_id: int | None = None) -> None:
    """Refuse a name that is blank once invisible characters are gone, or that another
    client already has however it was typed. The unique index on clients.name_key settles
    a race between two requests (see _flush_name)."""
    key = name_key(name)
    if not key:
        raise InvalidInput(
            "A client name needs visible characters.", "name", code="client_name_blank"
        )
    query = select(Client).where(Client.name_key == key)
    if client_id is not None:
        query = query.where(Client.id != client_id)
    if (twin := db.session.scalars(query).first()) is not None:
        raise DuplicateClientName(twin.name)


def _flush_name(name: str) -> None:
    try:
        db.session.flush()
    except IntegrityError as error:
        if "name_key" not in str(error.orig):
            raise
        raise DuplicateClientName(name) from None


def create_client(
    name: str, contact_name: str, contact_email: str, notes: str, actor: User, language: str = "en"
) -> Client:
    with transaction():
        _check_name_free(name)
        client = Client(
            name=name.strip(),
            contact_name=contact_name.strip(),
            contact_email=contact_email.strip().lower(),
            notes=notes,
            status="active",
            language=_known_language(language),
        )
        db.session.add(client)
        _flush_name(client.name)
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
    client_id: int,
    name: str,
    contact_name: str,
    contact_email: str,
    notes: str,
    actor: User,
    language: str | None = None,
) -> Client:
    with transaction():
        client = find_client(client_id)
        _check_name_free(name, client.id)
        client.name = name.strip()
        client.contact_name = contact_name.strip()
        client.contact_email = contact_email.strip().lower()
        client.notes = notes
        if language is not None:
            client.language = _known_language(language)
        _flush_name(client.name)
        audit.record("client.updated", "client", client.id, actor)
    return client


def _known_language(language: str) -> str:
    if language not in CATALOGUE_LANGUAGES:
        raise ServiceError(f"Unknown language {language!r}.", code="unknown_language")
    return language


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
        raise ServiceError(
            f"Unknown client status {to_status!r}.", code="unknown_status", value=to_status
        )
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


# --- the status history, as this user may read it ----------------------------------------

# The reasons the services write (reviews.open_review, decisions.decide_review). Any other
# reason that names a review is scoped by that review too (ids past 18 digits are no ids).
_CREATED = "Client created"
_OPENED = re.compile(r"Review #(\d{1,18}) opened", re.ASCII)
_DECIDED = re.compile(r"Decision on review #(\d{1,18})", re.ASCII)
_NAMES_REVIEW = re.compile(r"review #(\d{1,18})\b", re.IGNORECASE | re.ASCII)


@dataclass(frozen=True)
class StatusEntry:
    changed_at: datetime
    from_status: str | None
    to_status: str
    changed_by: str | None  # the name of who changed it
    cause: str  # "created", "review_opened", "decided" or "other" (then `reason` is shown)
    reason: str
    review_id: int | None = None
    decision_id: int | None = None  # set when the reader may open the decision


def _cause(reason: str) -> tuple[str, int | None]:
    if reason == _CREATED:
        return "created", None
    for cause, pattern in (("review_opened", _OPENED), ("decided", _DECIDED)):
        if found := pattern.fullmatch(reason):
            return cause, int(found.group(1))
    found = _NAMES_REVIEW.search(reason)
    return "other", int(found.group(1)) if found else None


def status_history(client: Client, user: User) -> list[StatusEntry]:
    """The client's status changes, oldest first, as `user` may read them.

    Leads and admins read every change. A member reads the changes not tied to a review
    (the client's creation) and those tied to a review of this client they took part in:
    a change caused by a review or decision they may not open (the archive's scope) is
    left out, so its date, lead and outcome say nothing about a review they were not on.
    """
    rows = db.session.execute(
        select(ClientStatusChange, User.name)
        .outerjoin(User, User.id == ClientStatusChange.changed_by_id)
        .where(ClientStatusChange.client_id == client.id)
        .order_by(ClientStatusChange.id)
    ).all()
    causes = [_cause(change.reason or "") for change, _ in rows]
    named = {review_id for _, review_id in causes if review_id is not None}
    readable = select(Review.id).where(Review.id.in_(named), Review.client_id == client.id)
    if not user.is_lead:
        readable = readable.where(Review.id.in_(reviews_taken_part_in(user)))
    may_read = set(db.session.scalars(readable)) if named else set()
    decided = select(Decision.review_id, Decision.id).where(Decision.review_id.in_(may_read))
    decisions = dict(db.session.execute(decided).all()) if may_read else {}
    return [
        StatusEntry(
            changed_at=change.changed_at,
            from_status=change.from_status,
            to_status=change.to_status,
            changed_by=name,
            cause=cause,
            reason=change.reason or "",
            review_id=review_id,
            decision_id=decisions.get(review_id) if cause == "decided" else None,
        )
        for (change, name), (cause, review_id) in zip(rows, causes, strict=True)
        if user.is_lead or review_id is None or review_id in may_read
    ]
