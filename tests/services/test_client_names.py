"""One client per name, however it is typed: refused by the service with the twin's name,
and by the database's unique index for every path around the service (a race included)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.exc import IntegrityError

from app.domain.names import name_key
from app.extensions import db
from app.models import AuditEvent, Client, User
from app.services import clients
from app.services.errors import DuplicateClientName, InvalidInput
from tests.helpers import run_at_once


@pytest.mark.parametrize(
    "typed",
    [
        "acme as",
        "  ACME AS  ",
        "Acme\tAS",
        "Acme \u00a0 AS",
        "Ac\u200bme AS",
        "\u202aAcme AS\u202c",
        "ＡＣＭＥ AS",
    ],
)
def test_the_same_name_typed_differently_is_refused(make_user, make_client, typed):
    lead = make_user("lead")
    make_client("Acme AS", actor=lead)
    before = db.session.query(AuditEvent).count()
    with pytest.raises(DuplicateClientName) as refused:
        clients.create_client(typed, "", "", "", lead)
    assert refused.value.params == {"existing": "Acme AS"}
    assert db.session.query(Client).count() == 1
    assert db.session.query(AuditEvent).count() == before


def test_renaming_onto_another_clients_name_is_refused_and_changes_nothing(make_user, make_client):
    lead = make_user("lead")
    make_client("Acme AS", actor=lead)
    other = make_client("Nordlys", actor=lead)
    with pytest.raises(DuplicateClientName):
        clients.update_client(other.id, " ACME as", "New Contact", "", "", lead)
    db.session.expire_all()
    assert (other.name, other.contact_name) == ("Nordlys", "Pat Contact")


def test_a_client_may_change_the_case_or_spacing_of_its_own_name(make_user, make_client):
    lead = make_user("lead")
    acme = make_client("Acme AS", actor=lead)
    clients.update_client(acme.id, "  ACME  AS ", "", "", "", lead)
    db.session.expire_all()
    assert (acme.name, acme.name_key) == ("ACME  AS", "acme as")


@pytest.mark.parametrize("blank", ["\u200b", " \u200b\u200d ", "\u202e\u202c"])
def test_a_name_with_nothing_visible_is_refused(make_user, blank):
    with pytest.raises(InvalidInput) as refused:
        clients.create_client(blank, "", "", "", make_user("lead"))
    assert refused.value.field == "name" and refused.value.code == "client_name_blank"
    assert db.session.query(Client).count() == 0


def test_the_database_refuses_a_twin_written_around_the_service(make_user, make_client):
    make_client("Acme AS", actor=make_user("lead"))
    db.session.add(Client(name="ACME AS", status="active"))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_a_twin_that_slips_past_the_check_is_refused_by_the_index(
    monkeypatch, make_user, make_client
):
    lead = make_user("lead")
    make_client("Acme AS", actor=lead)
    monkeypatch.setattr(clients, "_check_name_free", lambda *args: None)
    with pytest.raises(DuplicateClientName):
        clients.create_client("acme as", "", "", "", lead)
    assert db.session.query(Client).count() == 1


@pytest.mark.postgres_only
def test_two_leads_creating_the_same_client_at_once_make_one(app, make_user):
    leads = [make_user("lead").id, make_user("lead").id]

    def create(lead_id, name):
        return lambda: clients.create_client(name, "", "", "", db.session.get(User, lead_id))

    results = run_at_once(app, [create(leads[0], "Race AS"), create(leads[1], "race as ")])
    assert sorted(type(r).__name__ for r in results) == ["Client", "DuplicateClientName"]
    assert db.session.query(Client).count() == 1


@given(st.text(max_size=40))
def test_the_key_is_stable_and_ignores_case_and_spacing(name):
    key = name_key(name)
    assert name_key(key) == key
    assert name_key(f"  {name.upper()}  ") == name_key(name.upper())
    assert key == key.strip() and "  " not in key
