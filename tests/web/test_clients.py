import pytest

from app.extensions import db
from app.models import Client, ClientStatusChange


def test_lead_creates_a_client_with_an_active_status_and_history(client, make_user, login):
    login(client, make_user("lead"))
    response = client.post(
        "/clients/new",
        data={
            "name": "Acme Bakery",
            "contact_name": "Ann",
            "contact_email": "ann@acme.example",
            "notes": "Since 2024",
        },
    )
    assert response.status_code == 302
    stored = db.session.query(Client).filter_by(name="Acme Bakery").one()
    assert stored.status == "active"
    assert [c.to_status for c in stored.status_changes] == ["active"]


def test_member_can_read_clients_but_not_create_or_edit(client, make_user, login, make_client):
    existing = make_client("Readable Ltd")
    login(client, make_user("member"))
    assert client.get("/clients/").status_code == 200
    assert client.get(f"/clients/{existing.id}").status_code == 200
    assert client.get("/clients/new").status_code == 403
    assert client.post("/clients/new", data={"name": "Sneaky"}).status_code == 403
    assert client.post(f"/clients/{existing.id}/edit", data={"name": "Renamed"}).status_code == 403
    assert client.post(f"/clients/{existing.id}/archive").status_code == 403


def test_lead_edits_a_client(client, make_user, login, make_client):
    existing = make_client("Old Name")
    login(client, make_user("lead"))
    client.post(f"/clients/{existing.id}/edit", data={"name": "New Name", "contact_email": ""})
    db.session.expire_all()
    assert db.session.get(Client, existing.id).name == "New Name"


def test_archive_hides_a_client_from_the_list_and_restore_brings_it_back(
    client, make_user, login, make_client
):
    existing = make_client("Archivable Co")
    login(client, make_user("lead"))
    client.post(f"/clients/{existing.id}/archive")
    assert b"Archivable Co" not in client.get("/clients/").data
    assert b"Archivable Co" in client.get("/clients/?archived=1").data
    assert db.session.get(Client, existing.id) is not None
    client.post(f"/clients/{existing.id}/restore")
    assert b"Archivable Co" in client.get("/clients/").data


def test_ten_thousand_character_name_is_rejected(client, make_user, login):
    login(client, make_user("lead"))
    response = client.post("/clients/new", data={"name": "x" * 10_000})
    assert response.status_code == 400
    assert b"Field cannot be longer than 200 characters." in response.data
    assert db.session.query(Client).count() == 0


def test_failed_edit_keeps_what_was_saved(client, make_user, login, make_client):
    existing = make_client("Keep Me")
    login(client, make_user("lead"))
    response = client.post(f"/clients/{existing.id}/edit", data={"name": ""})
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(Client, existing.id).name == "Keep Me"


def test_script_in_a_client_name_is_shown_escaped(client, make_user, login):
    login(client, make_user("lead"))
    client.post("/clients/new", data={"name": "<script>alert(1)</script>", "notes": "<b>bold</b>"})
    stored = db.session.query(Client).one()
    for page in (client.get("/clients/"), client.get(f"/clients/{stored.id}")):
        assert b"<script>alert(1)</script>" not in page.data
        assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in page.data
    assert b"<b>bold</b>" not in client.get(f"/clients/{stored.id}").data


@pytest.mark.parametrize("email", ["not-an-email", "a@"])
def test_invalid_contact_email_is_refused(client, make_user, login, email):
    login(client, make_user("lead"))
    response = client.post("/clients/new", data={"name": "X", "contact_email": email})
    assert response.status_code == 400


def test_unknown_client_gives_404(client, make_user, login):
    login(client, make_user("lead"))
    assert client.get("/clients/424242").status_code == 404
    assert client.post("/clients/424242/edit", data={"name": "X"}).status_code == 404
    assert client.post("/clients/424242/archive").status_code == 404


def test_status_change_is_recorded_with_who_and_why(make_user, make_client):
    from app.services import clients
    from app.services._tx import transaction

    lead = make_user("lead")
    existing = make_client("History Ltd", actor=lead)
    with transaction():
        clients.change_status(
            db.session.get(Client, existing.id), "under_review", lead, "Review opened"
        )
    changes = (
        db.session.query(ClientStatusChange)
        .filter_by(client_id=existing.id)
        .order_by(ClientStatusChange.id)
        .all()
    )
    assert [(c.from_status, c.to_status, c.reason) for c in changes] == [
        (None, "active", "Client created"),
        ("active", "under_review", "Review opened"),
    ]
