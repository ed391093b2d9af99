import pytest

from app.extensions import db
from app.models import AuditEvent, User


@pytest.mark.parametrize("role,expected", [("member", 403), ("lead", 403), ("admin", 200)])
def test_only_admins_open_the_user_pages(client, make_user, login, role, expected):
    login(client, make_user(role))
    assert client.get("/admin/users").status_code == expected
    assert client.get("/admin/users/new").status_code == expected


def test_anonymous_visitor_is_sent_to_login_from_admin_pages(client):
    assert client.get("/admin/users").status_code == 302


def test_admin_creates_a_user_who_can_log_in(client, make_user, login):
    login(client, make_user("admin"))
    response = client.post(
        "/admin/users/new",
        data={
            "email": "New.Person@Example.com",
            "name": "New Person",
            "role": "lead",
            "password": "initial-password",
        },
    )
    assert response.status_code == 302
    created = db.session.query(User).filter_by(email="new.person@example.com").one()
    assert created.role == "lead"
    assert (
        db.session.query(AuditEvent).filter_by(action="user.created", object_id=created.id).count()
        == 1
    )


def test_duplicate_email_is_a_clear_form_error(client, make_user, login):
    existing = make_user()
    login(client, make_user("admin"))
    response = client.post(
        "/admin/users/new",
        data={
            "email": existing.email.upper(),
            "name": "Dupe",
            "role": "member",
            "password": "initial-password",
        },
    )
    assert response.status_code == 400
    assert b"already exists" in response.data
    assert db.session.query(User).filter_by(email=existing.email).count() == 1


@pytest.mark.parametrize(
    "data",
    [
        {"email": "", "name": "X", "role": "member", "password": "initial-password"},
        {"email": "not-an-email", "name": "X", "role": "member", "password": "initial-password"},
        {"email": "x@example.com", "name": "", "role": "member", "password": "initial-password"},
        {"email": "x@example.com", "name": "X", "role": "emperor", "password": "initial-password"},
        {
            "email": "x@example.com",
            "name": "X" * 121,
            "role": "member",
            "password": "initial-password",
        },
        {"email": "x@example.com", "name": "X", "role": "member", "password": "short"},
    ],
)
def test_bad_user_input_is_refused_and_nothing_is_created(client, make_user, login, data):
    login(client, make_user("admin"))
    before = db.session.query(User).count()
    response = client.post("/admin/users/new", data=data)
    assert response.status_code == 400
    assert db.session.query(User).count() == before


def test_admin_changes_a_role(client, make_user, login):
    member = make_user("member")
    login(client, make_user("admin"))
    client.post(f"/admin/users/{member.id}/role", data={"role": "lead"})
    db.session.expire_all()
    assert db.session.get(User, member.id).role == "lead"


def test_the_last_admin_cannot_be_demoted_or_deactivated(client, make_user, login):
    admin = make_user("admin")
    login(client, admin)
    demote = client.post(
        f"/admin/users/{admin.id}/role", data={"role": "member"}, follow_redirects=True
    )
    assert b"at least one active admin" in demote.data
    deactivate = client.post(f"/admin/users/{admin.id}/deactivate", follow_redirects=True)
    assert b"at least one active admin" in deactivate.data
    db.session.expire_all()
    stored = db.session.get(User, admin.id)
    assert stored.role == "admin" and stored.active


def test_a_second_admin_can_be_deactivated_and_reactivated(client, make_user, login):
    other = make_user("admin")
    login(client, make_user("admin"))
    client.post(f"/admin/users/{other.id}/deactivate")
    db.session.expire_all()
    assert db.session.get(User, other.id).active is False
    client.post(f"/admin/users/{other.id}/activate")
    db.session.expire_all()
    assert db.session.get(User, other.id).active is True


def test_unknown_user_id_gives_404(client, make_user, login):
    login(client, make_user("admin"))
    assert client.post("/admin/users/999999/deactivate").status_code == 404
    assert client.post("/admin/users/999999/role", data={"role": "lead"}).status_code == 404


def test_member_cannot_change_roles_by_posting_directly(client, make_user, login):
    member = make_user("member")
    login(client, member)
    assert client.post(f"/admin/users/{member.id}/role", data={"role": "admin"}).status_code == 403
    db.session.expire_all()
    assert db.session.get(User, member.id).role == "member"


def test_create_admin_command_creates_an_admin(runner):
    result = runner.invoke(
        args=["create-admin", "First@Example.com", "--password", "first-admin-password"]
    )
    assert result.exit_code == 0, result.output
    assert db.session.query(User).filter_by(email="first@example.com", role="admin").count() == 1


def test_create_admin_command_refuses_a_short_password(runner):
    result = runner.invoke(args=["create-admin", "first@example.com", "--password", "short"])
    assert result.exit_code != 0
    assert "at least" in result.output
