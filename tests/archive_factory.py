"""Archived decisions built through the real services, for the archive's tests."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import JSON, bindparam, create_engine, text

from app.domain.snapshot import canonical_json
from app.extensions import db
from app.models import Decision
from app.models.append_only import drop_append_only_triggers, install_append_only_triggers
from app.services import decisions
from app.services.decisions import DecisionInput
from tests import factories as f


def at(day: str, hour: int = 12) -> datetime:
    """An aware UTC datetime from "2026-03-15"."""
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


def decide(
    lead,
    members,
    client,
    *,
    when: datetime,
    outcomes=None,
    rationale="Decided.",
    conflict="A conflict.",
    waiver="",
    consent_named=False,
) -> Decision:
    """Open a review, let every member answer (choosing the categories in `outcomes`),
    hear the client (unless `waiver`), close it and record the decision at `when`."""
    outcomes = outcomes or {}
    review = f.open_review(lead, client, members, conflict=conflict)
    choices = {key: "Seen in the e-mails." for key in outcomes}
    for member in members:
        f.submit(
            review, member, f.full_response(rating=4, choices=choices, consent_named=consent_named)
        )
    if not waiver:
        f.client_answers(review, lead, rating=4)
    f.close(review, lead)
    given = DecisionInput(outcomes, rationale, waiver_reason=waiver)
    return decisions.decide_review(review.id, lead, given, when)


def small_decision(make_user, make_client, client_name: str) -> Decision:
    """A lead's decision on a review of three members, one category confirmed."""
    lead = make_user("lead")
    members = [make_user("member") for _ in range(3)]
    client = make_client(client_name, actor=lead)
    return decide(lead, members, client, when=at("2026-03-15"), outcomes={"muddy": "confirmed"})


def tamper(sql: str, **params) -> None:
    """Change stored rows behind the app's back, as someone with full database access could:
    drop the append-only triggers, change the rows, put the triggers back."""
    statement = text(sql)
    if "snapshot" in params:
        statement = statement.bindparams(bindparam("snapshot", type_=JSON))
    connection = db.session.connection()
    drop_append_only_triggers(connection)
    db.session.execute(statement, params)
    install_append_only_triggers(connection)
    db.session.commit()
    db.session.expire_all()


def tamper_from_outside(sql: str, **params) -> None:
    """Change stored rows through a connection of its own, not from the app's pool: someone
    else's database client, whose commit the app's connections learn of only from the
    database. (It does not touch the append-only tables' triggers: give it rows they do
    not guard.)"""
    engine = create_engine(db.engine.url)
    try:
        with engine.begin() as connection:
            connection.execute(text(sql), params)
    finally:
        engine.dispose()


def stored_record(decision_id: int) -> dict:
    """The record as stored: the sealed text (schema 2), read back."""
    db.session.expire_all()
    value = db.session.execute(
        text("SELECT record_text FROM decisions WHERE id = :id"), {"id": decision_id}
    ).scalar_one()
    return json.loads(value)


def rewrite_record(sequence: int, change) -> None:
    """Edit a record's text in place (keeping its old seal), as a database user could."""
    value = db.session.execute(
        text("SELECT record_text FROM decisions WHERE sequence = :s"), {"s": sequence}
    ).scalar_one()
    record = json.loads(value)
    change(record)
    tamper(
        "UPDATE decisions SET record_text = :t WHERE sequence = :s",
        t=canonical_json(record),
        s=sequence,
    )
