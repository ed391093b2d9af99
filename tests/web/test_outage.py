"""The database unreachable (issue 15): every page answers a static 503 with Retry-After,
the health check says so, and the app recovers by itself once the database is back.

Never stops the machine's shared database: the outage is a URL that refuses connections
(SQLite: a directory that does not exist yet; PostgreSQL: a port nothing listens on, then
a forwarder to the real server that the test starts, stops and starts again)."""

from __future__ import annotations

import os
import socket
import threading
from urllib.parse import urlsplit

import pytest

from app import create_app
from app.extensions import db
from tests.conftest import TEST_CONFIG, FreshContextClient
from tests.helpers import PASSWORD


def _app_on(url: str):
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
    app.test_client_class = FreshContextClient
    return app


def _assert_unavailable(http, path: str) -> None:
    response = http.get(path)
    assert response.status_code == 503, (path, response.status_code)
    assert response.headers["Retry-After"] == "30"
    page = response.get_data(as_text=True)
    assert "Temporarily unavailable" in page and "Internal Server Error" not in page


@pytest.fixture
def outage_app(tmp_path):
    made = []

    def make(url):
        made.append(_app_on(url))
        return made[-1]

    yield make
    for app in made:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def test_without_its_database_every_page_is_a_static_503_and_then_recovers(outage_app, tmp_path):
    where = tmp_path / "not-yet"  # SQLite cannot open a file in a missing directory
    app = outage_app(f"sqlite:///{where / 'candor.db'}")
    http = app.test_client()
    # Anonymous visitors of pages that read nothing are served as usual...
    assert http.get("/about").status_code == 200
    assert http.get("/auth/login").status_code == 200
    # ...a logged-in person's cookie must be checked against the database: 503 everywhere.
    with http.session_transaction() as session:
        session.update({"_user_id": "1:nonce", "_fresh": True, "sid": "token"})
    for path in ("/about", "/auth/login", "/", "/reviews/1", "/archive/"):
        _assert_unavailable(http, path)
    health = http.get("/healthz")
    assert health.status_code == 503 and health.json["checks"]["database"] == "unavailable"
    login = http.post("/auth/login", data={"email": "a@example.com", "password": PASSWORD})
    # (Flask-Limiter writes its own Retry-After on the rate-limited login route.)
    assert login.status_code == 503 and int(login.headers["Retry-After"]) > 0

    http = app.test_client()
    where.mkdir()  # the database is back
    with app.app_context():
        db.create_all()
        from app.services.users import create_user

        create_user("back@example.com", "Back", "member", PASSWORD)
    assert http.get("/about").status_code == 200
    assert http.get("/healthz").json == {"status": "ok", "checks": {"database": "ok"}}
    assert (
        http.post(
            "/auth/login", data={"email": "back@example.com", "password": PASSWORD}
        ).status_code
        == 302
    )
    assert http.get("/").status_code == 200


def test_a_refused_postgresql_connection_is_a_503_too(outage_app):
    # Port 9 (discard) has no PostgreSQL on this machine: the connection is refused.
    app = outage_app("postgresql+psycopg://postgres@127.0.0.1:9/none?connect_timeout=2")
    http = app.test_client()
    assert http.get("/healthz").status_code == 503
    login = http.post("/auth/login", data={"email": "a@example.com", "password": PASSWORD})
    # (Flask-Limiter writes its own Retry-After on the rate-limited login route.)
    assert login.status_code == 503 and int(login.headers["Retry-After"]) > 0


def test_the_health_check_answers_200_with_the_database_up(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "checks": {"database": "ok"}}
    assert response.headers["Cache-Control"] == "no-store"


def test_the_health_check_reports_an_unreachable_redis(app, client):
    saved = app.config["REDIS_URL"]
    app.config["REDIS_URL"] = "redis://127.0.0.1:9/0"
    try:
        response = client.get("/healthz")
    finally:
        app.config["REDIS_URL"] = saved
    assert response.status_code == 503
    assert response.json["checks"] == {"database": "ok", "redis": "unavailable"}


class _Forwarder:
    """A TCP forwarder to the real PostgreSQL that the test can take down and bring back
    on the same port: the app sees an outage, the shared server never does."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()
        self._server: socket.socket | None = None
        self._sockets: list[socket.socket] = []

    def start(self) -> None:
        server = socket.socket()
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", self.port))
        server.listen(16)
        self._server = server
        threading.Thread(target=self._accept, args=(server,), daemon=True).start()

    def _accept(self, server: socket.socket) -> None:
        while True:
            try:
                inbound, _ = server.accept()
            except OSError:
                return
            outbound = socket.create_connection(self.target)
            self._sockets += [inbound, outbound]
            for a, b in ((inbound, outbound), (outbound, inbound)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def stop(self) -> None:
        if self._server is not None:
            # shutdown() wakes the blocked accept(); close() alone would keep listening.
            try:
                self._server.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self._server.close()
            self._server = None
        for s in self._sockets:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()
        self._sockets = []


@pytest.mark.postgres_only
def test_a_member_keeps_the_draft_through_a_postgresql_outage(outage_app, make_user, make_client):
    from tests import factories as f

    real = urlsplit(os.environ["TEST_DATABASE_URL"])
    forwarder = _Forwarder((real.hostname, real.port or 5432))
    url = f"postgresql+psycopg://{real.username}@127.0.0.1:{forwarder.port}{real.path}"
    lead = make_user("lead")
    members = [make_user("member") for _ in range(3)]
    review = f.open_review(lead, make_client(actor=lead), members)
    from app.models import TeamResponseRow, utcnow
    from app.services import reviews

    reviews.save_response(review.id, members[0], f.full_response(rating=4), False, utcnow())

    app = outage_app(url + "?connect_timeout=2")
    http = app.test_client()
    assert http.get("/healthz").status_code == 503  # nothing listens yet
    forwarder.start()
    try:
        assert (
            http.post(
                "/auth/login", data={"email": members[0].email, "password": PASSWORD}
            ).status_code
            == 302
        )
        assert http.get(f"/reviews/{review.id}/answer").status_code == 200
        forwarder.stop()  # the database goes away under a logged-in member
        _assert_unavailable(http, f"/reviews/{review.id}/answer")
        _assert_unavailable(http, "/about")
        assert http.get("/healthz").status_code == 503
        forwarder.start()  # and comes back: no restart of the app
        page = http.get(f"/reviews/{review.id}/answer")
        assert page.status_code == 200  # the same session, the same draft
        assert http.get("/healthz").status_code == 200
        db.session.expire_all()
        draft = db.session.query(TeamResponseRow).filter_by(user_id=members[0].id).one()
        assert draft.status == "draft" and len(draft.answers) > 0
    finally:
        forwarder.stop()


@pytest.mark.postgres_only
def test_a_pooled_connection_the_server_ended_is_replaced_without_a_failed_request(
    app, client, login, review_team
):
    # No ping before each use (a round trip on every request): app/database.py looks at
    # the socket of each connection as it leaves the pool instead.
    import time

    import psycopg

    _, members, _, _ = review_team
    name = members[0].name
    login(client, members[0])
    assert name.encode() in client.get("/about").data  # logged in
    db.session.remove()
    pooled = [db.engine.raw_connection() for _ in range(db.engine.pool.checkedin())]
    ended = {connection.driver_connection.info.backend_pid for connection in pooled}
    for connection in pooled:
        connection.close()  # back to the pool
    assert ended
    with psycopg.connect(os.environ["TEST_DATABASE_URL"], autocommit=True) as admin:
        for pid in ended:
            admin.execute("SELECT pg_terminate_backend(%s)", [pid])
        deadline = time.monotonic() + 10
        while admin.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE pid = ANY(%s)", [list(ended)]
        ).fetchone()[0]:
            assert time.monotonic() < deadline, "the backends did not end"
            time.sleep(0.05)
    page = client.get("/about")
    assert page.status_code == 200  # the same session, on a new connection
    assert name.encode() in page.data
    with db.engine.connect() as connection:
        assert connection.connection.driver_connection.info.backend_pid not in ended
