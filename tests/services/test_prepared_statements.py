"""PostgreSQL: the statements marked `prepared` (app/database.py) are prepared once per
pooled connection and kept through the rollback that ends every reading request; no other
statement is ever prepared; and a rollback still undoes, fails on a dead connection as
psycopg's own does, and a kept statement follows its table when the table changes."""

from __future__ import annotations

import os
import time

import psycopg
import pytest
from sqlalchemy import text

from app.database import _PreparedStatementsKept, prepared
from app.extensions import db
from tests import factories as f
from tests.web.conftest import answer_form

pytestmark = pytest.mark.postgres_only

SESSION_SELECT = "JOIN login_sessions ON login_sessions.user_id = users.id"


def _prepared_on_pooled_connections() -> list[tuple[int, str, str, object]]:
    """(backend pid, name, statement, prepare_time) of every statement prepared on the
    pool's idle connections, read on each connection itself (they are per session)."""
    db.session.remove()
    pooled = [db.engine.raw_connection() for _ in range(db.engine.pool.checkedin())]
    found = []
    try:
        for connection in pooled:
            found += connection.driver_connection.execute(
                "SELECT pg_backend_pid(), name, statement, prepare_time FROM pg_prepared_statements"
            ).fetchall()
            connection.driver_connection.rollback()
    finally:
        for connection in pooled:
            connection.close()
    return found


def _session_selects() -> dict[int, tuple[str, object]]:
    """The session's select as prepared on each idle connection, by backend."""
    return {
        pid: (name, at)
        for pid, name, sql, at in _prepared_on_pooled_connections()
        if SESSION_SELECT in sql
    }


def test_the_session_select_is_prepared_once_and_kept_through_every_request(
    client, login, make_user
):
    db.session.remove()
    db.engine.dispose()  # fresh connections: none holds what an earlier test prepared
    login(client, make_user("member"))
    assert client.get("/about").status_code == 200
    # Still there after the request's rollback (psycopg's own rollback deallocates all).
    first = _session_selects()
    assert first
    for _ in range(4):  # each request reads only, and ends with a rollback
        assert client.get("/about").status_code == 200
    after = _session_selects()
    # The same prepared statement on that connection, never prepared again.
    assert {pid: after.get(pid) for pid in first} == first


def test_a_submit_prepares_the_review_lock_and_the_first_response_for_the_next(
    client, login, make_user, make_client
):
    db.session.remove()
    db.engine.dispose()  # fresh connections: none holds what an earlier test prepared
    catalogue = f.ensure_catalogue()
    lead = make_user("lead")
    team = [make_user("member") for _ in range(3)]
    review = f.open_review(lead, make_client("Prepared Ltd", actor=lead), team)
    login(client, team[0])
    client.get(f"/reviews/{review.id}/answer")  # the form puts its CSRF token in
    submit = client.post(f"/reviews/{review.id}/answer", data=answer_form(catalogue))
    assert submit.headers["Location"] == f"/reviews/{review.id}?submitted=1"
    statements = [sql for _, _, sql, _ in _prepared_on_pooled_connections()]
    assert [sql for sql in statements if "FOR SHARE OF reviews" in sql]
    assert [sql for sql in statements if "INSERT INTO team_responses" in sql]


def test_a_statement_not_marked_is_never_prepared_however_often_it_runs(app):
    search = text("SELECT count(*) FROM clients WHERE name ILIKE :pattern")
    for number in range(12):  # psycopg's own default prepares at the fifth run
        db.session.execute(search, {"pattern": f"%{number}%"})
    db.session.commit()
    statements = [sql for _, _, sql, _ in _prepared_on_pooled_connections()]
    assert not [sql for sql in statements if "ILIKE" in sql]


def test_a_rollback_still_undoes_what_the_transaction_wrote(make_client):
    client = make_client("Kept Ltd")
    db.session.execute(
        text("UPDATE clients SET notes = 'changed' WHERE id = :id"), {"id": client.id}
    )
    db.session.rollback()
    assert (
        db.session.scalar(text("SELECT notes FROM clients WHERE id = :id"), {"id": client.id})
        != "changed"
    )
    # After a failed statement too: the aborted transaction rolls back, the connection
    # works on.
    with pytest.raises(Exception, match="division by zero"):
        db.session.execute(text("SELECT 1 / 0"))
    db.session.rollback()
    assert db.session.scalar(text("SELECT 41 + 1")) == 42


def test_a_rollback_on_a_connection_the_server_ended_fails_as_broken():
    url = os.environ["TEST_DATABASE_URL"]
    with _PreparedStatementsKept.connect(url) as connection:
        connection.execute("SELECT 1")  # a transaction is open
        pid = connection.info.backend_pid
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", [pid])
            deadline = time.monotonic() + 10
            while admin.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid]
            ).fetchone()[0]:
                assert time.monotonic() < deadline, "the backend did not end"
                time.sleep(0.05)
        with pytest.raises(psycopg.OperationalError):
            connection.rollback()
        assert connection.broken  # what SQLAlchemy reads to replace it (is_disconnect)


def test_a_kept_statement_follows_its_table_when_it_is_altered_or_made_again(app):
    url = os.environ["TEST_DATABASE_URL"]
    probe = prepared(text("SELECT label FROM prepared_probe WHERE id = :id"))
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute("DROP TABLE IF EXISTS prepared_probe")
        admin.execute("CREATE TABLE prepared_probe (id integer PRIMARY KEY, label text)")
        admin.execute("INSERT INTO prepared_probe VALUES (1, 'first')")
        try:
            with db.engine.connect() as connection:
                for _ in range(7):  # past PostgreSQL's five custom plans
                    assert connection.scalar(probe, {"id": 1}) == "first"
                connection.rollback()  # kept (the first test shows it)
                admin.execute("ALTER TABLE prepared_probe ADD COLUMN extra integer")
                admin.execute("UPDATE prepared_probe SET label = 'altered'")
                assert connection.scalar(probe, {"id": 1}) == "altered"
                connection.rollback()
                admin.execute("DROP TABLE prepared_probe")
                admin.execute("CREATE TABLE prepared_probe (label text, id integer PRIMARY KEY)")
                admin.execute("INSERT INTO prepared_probe VALUES ('made again', 1)")
                assert connection.scalar(probe, {"id": 1}) == "made again"
                connection.rollback()
        finally:
            admin.execute("DROP TABLE IF EXISTS prepared_probe")
