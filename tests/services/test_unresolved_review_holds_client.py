"""A review holds its client while open or closed: no other review of that client opens
until it is decided (or, while open, cancelled). A closed review's results have been
seen; without this a lead could close, look, leave it undecided and start again with
another team or a looser level until the verdict suited, and the archive would show only
the review that was decided."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from app.domain.lifecycle import HOLDS_CLIENT, ReviewState
from app.extensions import db
from app.models import AuditEvent, Client, Decision, Review, User, utcnow
from app.models.reviews import HOLDING_CLIENT_SQL
from app.services import review_changes, review_opening, reviews
from app.services.decisions import DecisionInput, decide_review
from app.services.errors import ClientHeld, InvalidInput
from tests import factories as f
from tests.helpers import run_at_once


@pytest.fixture
def team(make_user, make_client):
    f.ensure_catalogue()
    lead = make_user("lead")
    return lead, [make_user("member") for _ in range(3)], make_client(actor=lead)


def _closed(lead, agency_client, members):
    review = f.open_review(lead, agency_client, members)
    for member in members:
        f.submit(review, member, f.full_response(choices={"muddy": "No goals."}))
    f.client_answers(review, lead)
    return f.close(review, lead)


def test_the_database_index_names_the_holding_states():
    quoted = sorted(f"'{state}'" for state in HOLDS_CLIENT)
    assert sorted(HOLDING_CLIENT_SQL.removeprefix("state IN (").removesuffix(")").split(", ")) == (
        quoted
    )
    assert HOLDS_CLIENT == {ReviewState.OPEN, ReviewState.CLOSED}


def test_a_closed_undecided_review_refuses_another_and_changes_nothing(team, make_user):
    lead, members, agency_client = team
    held = _closed(lead, agency_client, members)
    another_team = [make_user("member") for _ in range(3)]
    status = db.session.get(Client, agency_client.id).status
    events = db.session.query(AuditEvent).count()
    # Not with another team, nor a looser level: the first review's results stand.
    with pytest.raises(InvalidInput) as refused:
        f.open_review(lead, agency_client, another_team, level=1)
    assert refused.value.code == "review_awaiting_decision" and refused.value.field == "client"
    assert isinstance(refused.value, ClientHeld) and refused.value.review_id == held.id
    assert refused.value.params["closed_at"] == held.closed_at
    assert db.session.query(Review).count() == 1
    assert db.session.get(Client, agency_client.id).status == status
    assert db.session.query(AuditEvent).count() == events


def test_an_admin_is_held_as_a_lead_is(team, make_user):
    lead, members, agency_client = team
    _closed(lead, agency_client, members)
    with pytest.raises(InvalidInput, match="not decided yet"):
        f.open_review(make_user("admin"), agency_client, members)


def test_deciding_frees_the_client_and_the_archive_holds_the_first_review(team):
    lead, members, agency_client = team
    held = _closed(lead, agency_client, members)
    given = DecisionInput({"muddy": "not_confirmed"}, "The team is split.")
    decide_review(held.id, lead, given, utcnow())
    second = f.open_review(lead, agency_client, members)
    assert second.state == ReviewState.OPEN
    assert db.session.get(Review, held.id).state == ReviewState.DECIDED
    assert db.session.query(Decision).filter_by(review_id=held.id).count() == 1


def test_cancelling_an_open_review_frees_the_client(team):
    lead, members, agency_client = team
    first = f.open_review(lead, agency_client, members)
    with pytest.raises(InvalidInput) as refused:
        f.open_review(lead, agency_client, members)
    assert refused.value.code == "review_already_open"
    review_changes.cancel_review(first.id, lead, "Wrong project.", utcnow())
    assert f.open_review(lead, agency_client, members).state == ReviewState.OPEN


def test_another_client_is_not_held(team, make_client):
    lead, members, agency_client = team
    _closed(lead, agency_client, members)
    assert f.open_review(lead, make_client(actor=lead), members).state == ReviewState.OPEN


def test_the_database_refuses_an_open_review_beside_a_closed_one(team):
    lead, members, agency_client = team
    held = _closed(lead, agency_client, members)
    f.review_beside(held, "open")
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


@pytest.mark.postgres_only
def test_an_open_racing_the_close_of_the_clients_review_is_refused(app, team):
    """Real threads, real transactions: whichever lands first, the second review is refused
    (open, then closed: both hold the client), and the close goes through."""
    lead, members, agency_client = team
    first = f.open_review(lead, agency_client, members)
    for member in members:
        f.submit(first, member)
    lead_id, client_id, member_ids = lead.id, agency_client.id, [m.id for m in members]
    deadline = utcnow() + timedelta(days=7)

    def close():
        return reviews.close_review(first.id, db.session.get(User, lead_id), utcnow())

    def open_another():
        lead_here = db.session.get(User, lead_id)
        return review_opening.open_review(
            lead_here, client_id, "Again.", member_ids, deadline, 3, utcnow()
        )

    closed, opened = run_at_once(app, [close, open_another])
    assert isinstance(closed, Review), closed
    assert isinstance(opened, InvalidInput), opened
    assert opened.code in {"review_already_open", "review_awaiting_decision"}
    assert db.session.query(Review).filter_by(client_id=client_id).count() == 1
