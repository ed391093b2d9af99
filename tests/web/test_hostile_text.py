"""Hostile text in names and short fields (issue 15): direction overrides and invisible
names are refused with a message, user text in lists is isolated with <bdi>."""

import pytest

from app.extensions import db
from app.models import Client, User
from app.text_input import has_bidi_controls, is_invisible
from tests import factories as f
from tests.helpers import PASSWORD

RLO = "\u202e"
ZWSP = "\u200b"


@pytest.mark.parametrize(
    "name",
    [f"Mallory{RLO}", "\u2067evil\u2069", "a\u200fb", "x\u202ay\u202c"],
)
def test_a_user_name_with_direction_controls_is_refused_with_a_message(
    client, make_user, login, name
):
    login(client, make_user("admin"))
    response = client.post(
        "/admin/users/new",
        data={"email": "new@example.com", "name": name, "role": "member", "password": PASSWORD},
    )
    assert response.status_code == 400
    assert b"direction-changing characters" in response.data
    assert db.session.query(User).filter_by(email="new@example.com").count() == 0


@pytest.mark.parametrize("name", [ZWSP, ZWSP * 5, f" {ZWSP}\u2060\ufeff ", "\u00ad", "\u200d"])
def test_a_client_name_of_invisible_characters_only_is_refused(client, make_user, login, name):
    login(client, make_user("lead"))
    response = client.post("/clients/new", data={"name": name})
    assert response.status_code == 400
    assert b"only looks filled in" in response.data or b"This field is required" in response.data
    assert db.session.query(Client).count() == 0


def test_contact_names_are_checked_the_same_way(client, make_user, login):
    login(client, make_user("lead"))
    response = client.post("/clients/new", data={"name": "Fine", "contact_name": f"Pat{RLO}"})
    assert response.status_code == 400 and b"direction-changing" in response.data
    assert db.session.query(Client).count() == 0


@pytest.mark.parametrize(
    "name",
    ["Zoë Ångström", "محمد", "שלום עולם", "👩\u200d💻 Studio", "کتاب\u200cها", "Ólafur-Ágúst"],
)
def test_ordinary_names_in_any_script_are_kept(client, make_user, login, name):
    login(client, make_user("lead"))
    assert client.post("/clients/new", data={"name": name}).status_code == 302
    assert db.session.query(Client).one().name == name


def test_the_checks_themselves():
    assert has_bidi_controls("a\u202eb") and not has_bidi_controls("abc")
    assert is_invisible(ZWSP) and is_invisible(" \u200d ") and not is_invisible("")
    assert not is_invisible("a\u200db")


def test_names_in_the_participant_picker_are_isolated(client, make_user, login):
    # A name stored before this check (or through the command line) cannot reorder the
    # e-mail beside it: each sits in its own <bdi>.
    lead = make_user("lead")
    member = make_user("member")
    db.session.get(User, member.id).name = f"Mallory{RLO}"
    db.session.commit()
    login(client, lead)
    page = client.get("/reviews/new").get_data(as_text=True)
    assert f"<bdi>Mallory{RLO}</bdi> (<bdi>{member.email}</bdi>)" in page


def test_user_text_in_lists_is_isolated(client, make_user, make_client, login):
    admin = make_user("admin")
    lead = make_user("lead", name=f"Lead{RLO}")
    members = [make_user("member", name=f"Member{RLO}{i}") for i in range(3)]
    agency_client = make_client(f"Client{RLO}", actor=lead)
    review = f.open_review(lead, agency_client, members)
    login(client, admin)
    users_page = client.get("/admin/users").get_data(as_text=True)
    assert f"<bdi>Lead{RLO}</bdi>" in users_page
    clients_page = client.get("/clients/").get_data(as_text=True)
    assert f"<bdi>Client{RLO}</bdi>" in clients_page
    reviews_page = client.get("/reviews/").get_data(as_text=True)
    assert f"<bdi>Client{RLO}</bdi>" in reviews_page and f"<bdi>Lead{RLO}</bdi>" in reviews_page
    detail = client.get(f"/reviews/{review.id}").get_data(as_text=True)
    assert f"<bdi>Member{RLO}0</bdi>" in detail


@pytest.mark.parametrize("name", [f"Root{RLO}", ZWSP, "   "])
def test_the_command_line_refuses_the_same_names(runner, name):
    result = runner.invoke(
        args=["create-admin", "root@example.com", "--name", name, "--password", PASSWORD]
    )
    assert result.exit_code != 0 and "--name" in result.output
    assert db.session.query(User).count() == 0
