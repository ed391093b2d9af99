"""Sessions that really end (issue 15): logout, the idle and the absolute lifetime are
decided on the server, so a cookie copied earlier is worth nothing afterwards."""

from datetime import timedelta

from app.extensions import db
from app.models import LoginSession
from tests.helpers import PASSWORD, session_cookie_sent


def _copy_cookie(source, app):
    thief = app.test_client()
    thief.set_cookie("session", source.get_cookie("session").value)
    return thief


def test_a_cookie_copied_before_logout_opens_nothing_afterwards(app, client, make_user, login):
    user = make_user("lead")
    login(client, user)
    thief = _copy_cookie(client, app)
    assert thief.get("/").status_code == 200  # the copy works while the session lives
    assert thief.get("/archive/export.csv").status_code == 200
    client.post("/auth/logout")
    assert thief.get("/").status_code == 302
    assert "/auth/login" in thief.get("/reviews/").headers["Location"]
    assert thief.get("/archive/export.csv").status_code == 302


def test_logout_ends_only_that_session(app, make_user, login):
    user = make_user()
    laptop, phone = app.test_client(), app.test_client()
    login(laptop, user)
    login(phone, user)
    laptop.post("/auth/logout")
    assert laptop.get("/").status_code == 302
    assert phone.get("/").status_code == 200


def _age(**delta):
    for row in db.session.query(LoginSession):
        row.started_at -= timedelta(**delta.get("started", {}))
        row.last_seen_at -= timedelta(**delta.get("seen", {}))
    db.session.commit()


def test_a_session_idle_longer_than_the_idle_lifetime_has_ended(app, client, make_user, login):
    login(client, make_user())
    idle = app.config["SESSION_IDLE_SECONDS"]
    _age(started={"seconds": idle - 30}, seen={"seconds": idle - 30})
    assert client.get("/").status_code == 200  # used in time: last use moves on
    _age(seen={"seconds": idle + 1})
    assert client.get("/").status_code == 302


def test_use_never_stretches_a_session_past_its_absolute_lifetime(app, client, make_user, login):
    login(client, make_user())
    absolute = app.config["SESSION_ABSOLUTE_SECONDS"]
    _age(started={"seconds": absolute - 60})
    assert client.get("/").status_code == 200
    _age(started={"seconds": 61})
    # In use a moment ago, so not idle: still over.
    assert client.get("/").status_code == 302


def test_last_use_is_written_at_most_once_a_minute(app, client, make_user, login):
    login(client, make_user())
    seen = db.session.query(LoginSession).one().last_seen_at
    for _ in range(3):
        client.get("/")
    db.session.expire_all()
    assert db.session.query(LoginSession).one().last_seen_at == seen


def test_the_database_keeps_only_a_hash_of_the_session_token(client, make_user, login):
    login(client, make_user())
    with client.session_transaction() as session:
        token = session["sid"]
    row = db.session.query(LoginSession).one()
    assert token not in row.token_hash and len(row.token_hash) == 64


def test_a_login_clears_away_the_users_finished_sessions(app, make_user, login):
    user = make_user()
    for _ in range(3):
        http = app.test_client()
        login(http, user)
        http.post("/auth/logout")
    login(app.test_client(), user)
    assert db.session.query(LoginSession).count() == 1


def test_a_cookie_without_a_session_token_is_not_logged_in(app, client, make_user, login):
    user = make_user()
    login(client, user)
    with client.session_transaction() as session:
        del session["sid"]
    assert client.get("/").status_code == 302


def test_a_session_token_opens_only_its_own_account(app, make_user, login):
    """The session row and the account are read together: the token must belong to the
    account the cookie names, and the account must still be active."""
    mine, theirs = app.test_client(), app.test_client()
    login(mine, make_user())
    other = make_user()
    login(theirs, other)
    with theirs.session_transaction() as session:
        their_token = session["sid"]
    with mine.session_transaction() as session:
        session["sid"] = their_token
    assert mine.get("/").status_code == 302
    assert theirs.get("/").status_code == 200
    other.active = False
    db.session.commit()
    assert theirs.get("/").status_code == 302


def test_the_idle_and_absolute_lifetimes_come_from_the_environment(monkeypatch, tmp_path):
    from app.config import load_config

    monkeypatch.setenv("SESSION_IDLE_SECONDS", "600")
    monkeypatch.setenv("SESSION_ABSOLUTE_SECONDS", "3600")
    config = load_config(tmp_path)
    assert config["SESSION_IDLE_SECONDS"] == config["PERMANENT_SESSION_LIFETIME"] == 600
    assert config["SESSION_ABSOLUTE_SECONDS"] == 3600
    monkeypatch.delenv("SESSION_IDLE_SECONDS")
    monkeypatch.setenv("SESSION_LIFETIME_SECONDS", "900")  # the first edition's name
    assert load_config(tmp_path)["SESSION_IDLE_SECONDS"] == 900


def test_a_password_change_keeps_this_session_and_ends_the_others(app, make_user, login):
    user = make_user()
    here, there = app.test_client(), app.test_client()
    login(here, user)
    login(there, user)
    response = here.post(
        "/auth/password",
        data={"current": PASSWORD, "new": "a-new-long-password", "confirm": "a-new-long-password"},
    )
    assert response.status_code == 302
    assert here.get("/").status_code == 200
    assert there.get("/").status_code == 302


def test_the_cookie_is_signed_again_only_when_a_use_is_recorded(app, client, make_user, login):
    """A request within a minute of the last recorded use changes nothing and sends no
    cookie; the first after it records the use and sends the cookie with a new expiry,
    so the browser's copy lives as long as the server's idle clock allows."""
    from email.utils import parsedate_to_datetime

    from app.models import utcnow

    login(client, make_user())
    client.get("/")  # the first page's forms put a CSRF token in the session: a change
    assert session_cookie_sent(client.get("/")) is None
    assert session_cookie_sent(client.get("/about")) is None
    _age(seen={"seconds": 61})
    sent = session_cookie_sent(client.get("/"))
    assert sent is not None
    expires = parsedate_to_datetime(sent.split("Expires=", 1)[1].split(";", 1)[0])
    idle = app.config["SESSION_IDLE_SECONDS"]
    assert abs((expires - utcnow()).total_seconds() - idle) < 5
    assert session_cookie_sent(client.get("/")) is None  # recorded a moment ago
