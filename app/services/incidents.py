"""The client incident log: recording, correcting, reading within scope, attaching to a
review, and the entries a decision seals.

Scope: leads and admins read a client's whole log; a member reads the entries it wrote.
Entries attached to a review are also shown to its participants, but only once they have
submitted their own answer (so the log does not anchor their self-assessment), and to
the review's lead. An entry the reader may not see is "not found" (404), never 403.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

from sqlalchemy import select

from app.domain.incidents import (
    MESSAGE_SENT,
    EntryInput,
    entry_problems,
    sealed_entry,
)
from app.extensions import db
from app.models import IncidentEntry, Review, ReviewIncident, TeamResponseRow, User
from app.services import audit, mail
from app.services._tx import transaction
from app.services.catalogue import catalogue_of, latest_version
from app.services.clients import find_client
from app.services.errors import InvalidInput, NotFound
from app.services.mail import mail_enabled


def sees_whole_log(user: User) -> bool:
    return user.role in ("lead", "admin")


def _category_keys() -> tuple[str, ...]:
    try:
        return catalogue_of(latest_version()).category_keys
    except NotFound:  # no catalogue loaded yet: no category can be named
        return ()


def _check(given: EntryInput, today: date, kinds=None) -> EntryInput:
    given = replace(
        given,
        text=given.text.strip(),
        currency=given.currency.strip().upper(),
        invoice_ref=given.invoice_ref.strip(),
        category_key=given.category_key or None,
    )
    extra = {} if kinds is None else {"kinds": kinds}
    problems = entry_problems(given, today, _category_keys(), **extra)
    if problems:
        field, code = problems[0]
        raise InvalidInput(code, field, code=code, problems=problems)
    return given


def _new_entry(client_id: int, author: User, given: EntryInput, now: datetime, **extra):
    entry = IncidentEntry(
        client_id=client_id,
        author_id=author.id,
        recorded_at=now,
        occurred_on=given.occurred_on,
        kind=given.kind,
        text=given.text,
        category_key=given.category_key,
        amount_minor=given.amount_minor,
        currency=given.currency,
        invoice_ref=given.invoice_ref,
        **extra,
    )
    db.session.add(entry)
    db.session.flush()
    return entry


# A second identical entry from the same person within this window is a double submit.
DOUBLE_SUBMIT_WINDOW = timedelta(minutes=2)


def _same_entry_just_recorded(client_id: int, author: User, given: EntryInput, now: datetime):
    return db.session.scalar(
        select(IncidentEntry).where(
            IncidentEntry.client_id == client_id,
            IncidentEntry.author_id == author.id,
            IncidentEntry.kind == given.kind,
            IncidentEntry.occurred_on == given.occurred_on,
            IncidentEntry.text == given.text,
            IncidentEntry.corrects_id.is_(None),
            IncidentEntry.recorded_at >= now - DOUBLE_SUBMIT_WINDOW,
        )
    )


def record_entry(client_id: int, author: User, given: EntryInput, now: datetime) -> IncidentEntry:
    """Record an entry; the same entry sent twice in a row (a double submit) is kept once."""
    given = _check(given, now.date())
    with transaction():
        find_client(client_id)
        repeated = _same_entry_just_recorded(client_id, author, given, now)
        if repeated is not None:
            return repeated
        entry = _new_entry(client_id, author, given, now)
        audit.record("incident.recorded", "incident", entry.id, author, client_id=client_id)
    return entry


def correct_entry(
    client_id: int, entry_id: int, author: User, given: EntryInput, now: datetime
) -> IncidentEntry:
    """A correction is a new entry pointing at the one it corrects; the original stays.
    Only someone who can read the original may correct it."""
    given = _check(given, now.date())
    with transaction():
        original = entry_for(client_id, entry_id, author)
        entry = _new_entry(client_id, author, given, now, corrects_id=original.id)
        audit.record(
            "incident.corrected",
            "incident",
            entry.id,
            author,
            client_id=client_id,
            corrects=original.id,
        )
    return entry


def log_message_sent(
    client_id: int, lead: User, draft_key: str, text: str, now: datetime, by_mail: bool
) -> IncidentEntry:
    """Marking a message draft as sent (or sending it) leaves a dated entry in the log."""
    given = _check(
        EntryInput(kind=MESSAGE_SENT, occurred_on=now.date(), text=text),
        now.date(),
        kinds=(MESSAGE_SENT,),
    )
    with transaction():
        find_client(client_id)
        entry = _new_entry(client_id, lead, given, now, draft_key=draft_key)
        audit.record(
            "incident.message_sent",
            "incident",
            entry.id,
            lead,
            client_id=client_id,
            draft=draft_key,
            by_mail=by_mail,
        )
    return entry


def _visible(client_id: int, viewer: User):
    query = select(IncidentEntry).where(IncidentEntry.client_id == client_id)
    if not sees_whole_log(viewer):
        query = query.where(IncidentEntry.author_id == viewer.id)
    return query


def entries_visible_to(client_id: int, viewer: User) -> list[IncidentEntry]:
    """The log as this reader may see it, newest incident first."""
    find_client(client_id)
    return list(
        db.session.scalars(
            _visible(client_id, viewer).order_by(
                IncidentEntry.occurred_on.desc(), IncidentEntry.id.desc()
            )
        )
    )


def entry_for(client_id: int, entry_id: int, viewer: User) -> IncidentEntry:
    entry = db.session.scalar(_visible(client_id, viewer).where(IncidentEntry.id == entry_id))
    if entry is None:
        raise NotFound("No such entry.")
    return entry


def corrected_ids(entries: list[IncidentEntry]) -> set[int]:
    """Ids among `entries` that a later entry (also among them) corrects."""
    return {e.corrects_id for e in entries if e.corrects_id is not None}


def attachable_entries(client_id: int) -> list[IncidentEntry]:
    """What a lead may attach when opening a review: the client's entries, newest first."""
    return list(
        db.session.scalars(
            select(IncidentEntry)
            .where(IncidentEntry.client_id == client_id)
            .order_by(IncidentEntry.occurred_on.desc(), IncidentEntry.id.desc())
            .limit(200)
        )
    )


def attach_entries(review: Review, entry_ids: list[int]) -> None:
    """Attach entries to a review being opened, inside the caller's transaction. Every id
    must be one of the review's client's entries."""
    ids = sorted(set(entry_ids))
    if not ids:
        return
    found = db.session.scalars(
        select(IncidentEntry.id).where(
            IncidentEntry.id.in_(ids), IncidentEntry.client_id == review.client_id
        )
    ).all()
    if len(found) != len(ids):
        raise InvalidInput(
            "Attach only entries from this client's log.",
            "incidents",
            code="incident_not_of_client",
        )
    for entry_id in ids:
        db.session.add(ReviewIncident(review_id=review.id, entry_id=entry_id))


def attached_entries(review_id: int) -> list[IncidentEntry]:
    return list(
        db.session.scalars(
            select(IncidentEntry)
            .join(ReviewIncident, ReviewIncident.entry_id == IncidentEntry.id)
            .where(ReviewIncident.review_id == review_id)
            .order_by(IncidentEntry.occurred_on, IncidentEntry.id)
        )
    )


def _has_submitted(review_id: int, user: User) -> bool:
    return (
        db.session.scalar(
            select(TeamResponseRow.id).where(
                TeamResponseRow.review_id == review_id,
                TeamResponseRow.user_id == user.id,
                TeamResponseRow.status == "submitted",
            )
        )
        is not None
    )


def attached_visible_to(review: Review, viewer: User) -> list[IncidentEntry]:
    """The review's attached entries for this reader: the lead and admins always; a
    participant only after submitting its own answer; anyone else never."""
    if viewer.role == "admin" or review.lead_id == viewer.id:
        return attached_entries(review.id)
    if _has_submitted(review.id, viewer):
        return attached_entries(review.id)
    return []


def as_sealed(entry: IncidentEntry) -> dict:
    return sealed_entry(
        entry_id=entry.id,
        occurred_on=entry.occurred_on.isoformat(),
        recorded_at=entry.recorded_at.isoformat(),
        kind=entry.kind,
        text=entry.text,
        category_key=entry.category_key,
        amount_minor=entry.amount_minor,
        currency=entry.currency or "",
        invoice_ref=entry.invoice_ref or "",
        corrects_id=entry.corrects_id,
    )


def sealed_entries(review_id: int) -> list[dict]:
    """The attached entries as a decision's record seals them."""
    return [as_sealed(e) for e in attached_entries(review_id)]


def entries_visible_to_lead(client_id: int) -> list[IncidentEntry]:
    """The whole log of a client, for the lead's closing report."""
    return list(
        db.session.scalars(
            select(IncidentEntry)
            .where(IncidentEntry.client_id == client_id)
            .order_by(IncidentEntry.occurred_on, IncidentEntry.id)
        )
    )


def deliver_message(
    client_id: int,
    lead: User,
    draft_key: str,
    subject: str,
    text: str,
    now: datetime,
    by_mail: bool,
) -> IncidentEntry:
    """Log a message as sent; with `by_mail`, send it over SMTP first, so a message that
    could not be sent is never logged as sent."""
    if by_mail:
        client = find_client(client_id)
        if not mail_enabled() or not client.contact_email:
            raise InvalidInput("E-mail is not configured.", "text", code="mail_unavailable")
        try:
            mail.send(client.contact_email, subject, text)
        except OSError as error:
            raise InvalidInput("Sending failed.", "text", code="mail_failed") from error
    return log_message_sent(client_id, lead, draft_key, text, now, by_mail)
