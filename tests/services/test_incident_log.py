"""The client incident log: append-only in the database, corrections that keep the
original, scoping per reader, attachment when a review opens, visibility to members only
after they submitted, and the decision's record sealing the attached entries (checked by
the archive verification). SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import delete, text, update
from sqlalchemy.exc import DBAPIError

from app.domain.incidents import EntryInput
from app.extensions import db
from app.models import IncidentEntry, ReviewIncident, utcnow
from app.services import decisions, incidents, review_opening
from app.services.archive_verify import verify_archive, verify_one
from app.services.decisions import DecisionInput
from app.services.errors import InvalidInput, NotFound
from tests import factories as f
from tests.archive_factory import stored_record, tamper


def _entry(kind="unanswered_question", text="No answer to the brief questions.", **extra):
    return EntryInput(kind=kind, occurred_on=date(2026, 11, 2), text=text, **extra)


@pytest.fixture
def team(make_user, make_client):
    f.ensure_catalogue()
    lead = make_user("lead", name="Lena Lead")
    members = [make_user("member", name=f"Member {n}") for n in range(3)]
    client = make_client("Acme", actor=lead)
    return lead, members, client


def test_an_entry_is_recorded_and_audited(team):
    lead, members, client = team
    entry = incidents.record_entry(client.id, members[0], _entry(), utcnow())
    assert entry.id and entry.author_id == members[0].id
    actions = db.session.execute(text("SELECT action FROM audit_events")).scalars().all()
    assert "incident.recorded" in actions


@pytest.mark.parametrize(
    "given, code",
    [
        (_entry(kind="late_payment"), "incident_amount_missing"),
        (_entry(kind="late_payment", amount_minor=10**13), "incident_amount_out_of_range"),
        (_entry(kind="nonsense"), "incident_kind_unknown"),
        (_entry(kind="message_sent"), "incident_kind_unknown"),
        (_entry(text="   "), "incident_text_missing"),
        (_entry(text="x" * 5001), "incident_text_too_long"),
        (_entry(category_key="no_such_category"), "incident_category_unknown"),
        (EntryInput("other", date(1999, 12, 31), "Old."), "incident_date_too_old"),
        (EntryInput("other", None, "No date."), "incident_date_missing"),
    ],
)
def test_bad_entries_are_refused_with_a_code(team, given, code):
    lead, members, client = team
    with pytest.raises(InvalidInput) as refused:
        incidents.record_entry(client.id, lead, given, utcnow())
    assert refused.value.code == code
    assert db.session.query(IncidentEntry).count() == 0


def test_a_future_date_is_refused(team):
    lead, members, client = team
    tomorrow = utcnow().date() + timedelta(days=1)
    with pytest.raises(InvalidInput) as refused:
        incidents.record_entry(client.id, lead, EntryInput("other", tomorrow, "x"), utcnow())
    assert refused.value.code == "incident_date_future"


def test_the_log_refuses_update_and_delete_in_the_database(team):
    lead, members, client = team
    entry = incidents.record_entry(client.id, lead, _entry(), utcnow())
    for statement in (
        update(IncidentEntry).where(IncidentEntry.id == entry.id).values(text="rewritten"),
        delete(IncidentEntry).where(IncidentEntry.id == entry.id),
    ):
        with pytest.raises(DBAPIError, match="incident_entries are append-only"):
            db.session.execute(statement)
            db.session.flush()
        db.session.rollback()
    assert db.session.get(IncidentEntry, entry.id).text == "No answer to the brief questions."


def test_attachments_refuse_update_and_delete(team):
    lead, members, client = team
    entry = incidents.record_entry(client.id, lead, _entry(), utcnow())
    review = _open(lead, members, client, [entry.id])
    with pytest.raises(DBAPIError, match="review_incidents are append-only"):
        db.session.execute(delete(ReviewIncident).where(ReviewIncident.review_id == review.id))
        db.session.flush()
    db.session.rollback()


def test_a_correction_is_a_new_entry_and_keeps_the_original(team):
    lead, members, client = team
    original = incidents.record_entry(client.id, members[0], _entry(), utcnow())
    fixed = incidents.correct_entry(
        client.id, original.id, members[0], _entry(text="It was the 3rd."), utcnow()
    )
    assert fixed.id != original.id and fixed.corrects_id == original.id
    log = incidents.entries_visible_to(client.id, lead)
    assert {e.id for e in log} == {original.id, fixed.id}
    assert db.session.get(IncidentEntry, original.id).text == "No answer to the brief questions."
    assert incidents.corrected_ids(log) == {original.id}


def test_a_member_sees_and_corrects_only_its_own_entries(team):
    lead, members, client = team
    own = incidents.record_entry(client.id, members[0], _entry(text="Mine."), utcnow())
    other = incidents.record_entry(client.id, members[1], _entry(text="Theirs."), utcnow())
    assert [e.id for e in incidents.entries_visible_to(client.id, members[0])] == [own.id]
    assert {e.id for e in incidents.entries_visible_to(client.id, lead)} == {own.id, other.id}
    with pytest.raises(NotFound):
        incidents.entry_for(client.id, other.id, members[0])
    with pytest.raises(NotFound):
        incidents.correct_entry(client.id, other.id, members[0], _entry(), utcnow())
    with pytest.raises(NotFound):  # the right entry under another client's id
        incidents.entry_for(client.id + 1000, own.id, members[0])


def _open(lead, members, client, entry_ids):
    now = utcnow()
    return review_opening.open_review(
        lead,
        client.id,
        "A conflict.",
        [m.id for m in members],
        now + timedelta(days=7),
        len(members),
        now,
        incident_ids=entry_ids,
    )


def test_only_the_clients_own_entries_can_be_attached(team, make_client):
    lead, members, client = team
    other_client = make_client("Other", actor=lead)
    foreign = incidents.record_entry(other_client.id, lead, _entry(), utcnow())
    with pytest.raises(InvalidInput) as refused:
        _open(lead, members, client, [foreign.id])
    assert refused.value.code == "incident_not_of_client"
    assert db.session.query(ReviewIncident).count() == 0


def test_members_see_attached_entries_only_after_submitting(team, make_user):
    lead, members, client = team
    entry = incidents.record_entry(client.id, members[2], _entry(), utcnow())
    review = _open(lead, members, client, [entry.id])
    assert incidents.attached_visible_to(review, lead) == [entry]
    assert incidents.attached_visible_to(review, members[0]) == []
    f.submit(review, members[0])
    assert incidents.attached_visible_to(review, members[0]) == [entry]
    assert incidents.attached_visible_to(review, members[1]) == []
    outsider = make_user("member")
    assert incidents.attached_visible_to(review, outsider) == []


def _decide(lead, members, client, entry_ids):
    review = _open(lead, members, client, entry_ids)
    for member in members:
        f.submit(review, member)
    f.client_answers(review, lead, rating=4)
    f.close(review, lead)
    return decisions.decide_review(review.id, lead, DecisionInput({}, "Nothing chosen."), utcnow())


def test_the_decision_record_seals_the_attached_entries_and_verifies(team):
    lead, members, client = team
    first = incidents.record_entry(
        client.id,
        lead,
        _entry(kind="late_payment", amount_minor=125000, currency="EUR", invoice_ref="INV-7"),
        utcnow(),
    )
    second = incidents.record_entry(client.id, lead, _entry(text="Second."), utcnow())
    decision = _decide(lead, members, client, [second.id, first.id])
    record = stored_record(decision.id)
    assert [e["id"] for e in record["incidents"]] == [first.id, second.id]
    assert record["incidents"][0]["amount_minor"] == 125000
    assert record["incidents"][0]["invoice_ref"] == "INV-7"
    assert record["incidents"][1]["text"] == "Second."
    assert len(record["incidents_digest"]) == 64
    assert verify_archive().ok
    assert verify_one(decision).ok


def test_verification_notices_a_changed_sealed_entry(team):
    lead, members, client = team
    entry = incidents.record_entry(client.id, lead, _entry(), utcnow())
    decision = _decide(lead, members, client, [entry.id])
    tamper("UPDATE incident_entries SET text = 'Softened.' WHERE id = :id", id=entry.id)
    result = verify_archive()
    assert not result.ok and "incident-log entries" in result.reason
    assert not verify_one(db.session.get(type(decision), decision.id)).ok


def test_verification_notices_an_attachment_added_after_the_decision(team):
    lead, members, client = team
    decision = _decide(lead, members, client, [])
    late = incidents.record_entry(client.id, lead, _entry(), utcnow())
    db.session.execute(
        text("INSERT INTO review_incidents (review_id, entry_id) VALUES (:r, :e)"),
        {"r": decision.review_id, "e": late.id},
    )
    db.session.commit()
    result = verify_archive()
    assert not result.ok and "incident-log entries" in result.reason


def test_a_record_sealed_before_the_log_existed_still_verifies(team):
    """Old records have neither "incidents" nor "incidents_digest": the reader and the
    verification accept them (here: a record whose sealed text lacks both)."""
    lead, members, client = team
    decision = _decide(lead, members, client, [])
    record = stored_record(decision.id)
    assert record["incidents"] == []
    from app.domain.record import incidents_of_record

    legacy = {k: v for k, v in record.items() if not k.startswith("incidents")}
    assert incidents_of_record(legacy) == []
    assert verify_archive().ok
