"""The client form refuses a name another client already has (case-insensitive, trimmed),
on the name field, with everything typed kept; creating and renaming alike."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.models import Client


@pytest.fixture
def lead_http(client, login, make_user):
    lead = make_user("lead")
    login(client, lead)
    return client, lead


def form(name: str, contact: str = "Mia Kontakt") -> dict[str, str]:
    return {"name": name, "contact_name": contact, "contact_email": "", "notes": "Typed notes"}


def test_creating_a_twin_is_refused_on_the_name_field_with_the_typing_kept(lead_http, make_client):
    http, lead = lead_http
    make_client("Client <b>Bold</b> AS", actor=lead)
    response = http.post("/clients/new", data=form("  client <B>bold</B>  as "))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "A client named “Client &lt;b&gt;Bold&lt;/b&gt; AS” already exists." in page
    assert 'aria-invalid="true"' in page and 'id="name"' in page
    assert 'value="Mia Kontakt"' in page and "Typed notes" in page
    assert db.session.query(Client).count() == 1


def test_renaming_onto_a_twin_is_refused_and_a_new_name_is_saved(lead_http, make_client):
    http, lead = lead_http
    make_client("Acme AS", actor=lead)
    other = make_client("Nordlys", actor=lead)
    refused = http.post(f"/clients/{other.id}/edit", data=form("ACME AS"))
    assert refused.status_code == 400
    assert "A client named “Acme AS” already exists." in refused.get_data(as_text=True)
    db.session.expire_all()
    assert other.name == "Nordlys"
    saved = http.post(f"/clients/{other.id}/edit", data=form("Nordlys Reklame"))
    assert saved.status_code == 302
    db.session.expire_all()
    assert other.name == "Nordlys Reklame"


def test_a_name_of_invisible_characters_is_refused(lead_http):
    http, _ = lead_http
    response = http.post("/clients/new", data=form("\u200b\u202e"))
    assert response.status_code == 400
    # the shared rule for names (app/text_input.py) answers first, naming the problem
    assert "Remove the invisible direction-changing characters" in response.get_data(as_text=True)
    only_invisible = http.post("/clients/new", data=form("\u200b\u200b"))
    assert only_invisible.status_code == 400
    assert "this text only looks filled in" in only_invisible.get_data(as_text=True)
    assert db.session.query(Client).count() == 0


def test_a_double_submit_creates_one_client(lead_http):
    http, _ = lead_http
    assert http.post("/clients/new", data=form("Twice AS")).status_code == 302
    assert http.post("/clients/new", data=form("Twice AS")).status_code == 400
    assert db.session.query(Client).count() == 1
