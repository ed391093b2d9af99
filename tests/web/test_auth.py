from app.extensions import db
from app.models import User
from tests.helpers import PASSWORD


def test_login_page_renders_for_anonymous_visitor(client):
    response = client.get("/auth/login")
    assert response.status_code == 200
    assert b"Log in to Candor" in response.data


def test_dashboard_redirects_anonymous_visitor_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_valid_login_opens_the_dashboard(client, make_user, login):
    user = make_user("member", name="Mira Member")
    login(client, user)
    page = client.get("/")
    assert page.status_code == 200
    assert b"Hello, Mira Member" in page.data


def test_wrong_password_and_unknown_email_give_the_same_message(client, make_user):
    user = make_user()
    wrong = client.post("/auth/login", data={"email": user.email, "password": "not-the-password"})
    unknown = client.post(
        "/auth/login", data={"email": "nobody@example.com", "password": "whatever-pass"}
    )
    assert wrong.status_code == unknown.status_code == 400
    assert b"Invalid e-mail or password." in wrong.data
    assert b"Invalid e-mail or password." in unknown.data
    assert client.get("/").status_code == 302


def test_login_with_missing_fields_is_refused(client):
    response = client.post("/auth/login", data={})
    assert response.status_code == 400
    assert b"This field is required." in response.data


def test_email_is_matched_case_insensitively(client, make_user, login):
    user = make_user(email="casey@example.com")
    response = client.post(
        "/auth/login", data={"email": "  CASEY@Example.com ", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert user.email == "casey@example.com"


def test_deactivated_user_cannot_log_in(client, make_user):
    user = make_user(active=False)
    response = client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    assert b"Invalid e-mail or password." in response.data


def test_deactivated_users_existing_session_is_logged_out(client, make_user, login):
    admin = make_user("admin")
    member = make_user("member")
    login(client, member)
    assert client.get("/").status_code == 200
    from app.services.users import set_active

    set_active(member.id, False, admin)
    assert client.get("/").status_code == 302


def test_logout_requires_post_and_ends_the_session(client, make_user, login):
    login(client, make_user())
    assert client.get("/auth/logout").status_code == 405
    response = client.post("/auth/logout")
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_open_redirect_through_next_is_refused(client, make_user):
    user = make_user()
    response = client.post(
        "/auth/login", data={"email": user.email, "password": PASSWORD, "next": "//evil.example/x"}
    )
    assert response.headers["Location"] == "/"


def test_next_keeps_a_local_path(client, make_user):
    user = make_user()
    response = client.post(
        "/auth/login", data={"email": user.email, "password": PASSWORD, "next": "/clients/"}
    )
    assert response.headers["Location"] == "/clients/"


def test_password_change_logs_out_other_sessions_but_keeps_this_one(app, make_user, login):
    user = make_user()
    phone, laptop = app.test_client(), app.test_client()
    login(phone, user)
    login(laptop, user)
    response = laptop.post(
        "/auth/password",
        data={"current": PASSWORD, "new": "brand-new-password", "confirm": "brand-new-password"},
    )
    assert response.status_code == 302
    assert laptop.get("/").status_code == 200
    assert phone.get("/").status_code == 302


def test_password_change_with_wrong_current_password_changes_nothing(client, make_user, login):
    user = make_user()
    login(client, user)
    old_hash = db.session.get(User, user.id).password_hash
    response = client.post(
        "/auth/password",
        data={
            "current": "wrong-password",
            "new": "brand-new-password",
            "confirm": "brand-new-password",
        },
    )
    assert response.status_code == 400
    assert b"Your current password is not correct." in response.data
    db.session.expire_all()
    assert db.session.get(User, user.id).password_hash == old_hash


def test_password_change_rejects_short_and_mismatched_passwords(client, make_user, login):
    login(client, make_user())
    short = client.post(
        "/auth/password", data={"current": PASSWORD, "new": "short", "confirm": "short"}
    )
    assert short.status_code == 400
    mismatch = client.post(
        "/auth/password",
        data={"current": PASSWORD, "new": "long-enough-one", "confirm": "long-enough-two"},
    )
    assert b"The two passwords differ." in mismatch.data


def test_passwords_are_stored_as_argon2_hashes(make_user):
    user = make_user()
    stored = db.session.get(User, user.id).password_hash
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored
