"""`flask db upgrade` makes the archive tables append-only; downgrading past the revision
removes the triggers again. SQLite always; PostgreSQL when TEST_DATABASE_URL is set."""

from __future__ import annotations

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from app import create_app
from app.extensions import db
from app.models.append_only import APPEND_ONLY_TABLES, PG_FUNCTION, trigger_names

BEFORE_APPEND_ONLY = "b41d2e9a7c30"  # the append-only revision's down_revision

PG_TRIGGERS = """
    SELECT t.tgname FROM pg_trigger t
    JOIN pg_class c ON c.oid = t.tgrelid
    WHERE NOT t.tgisinternal AND c.relnamespace = 'migration_check'::regnamespace
    AND t.tgname NOT LIKE 'decision_search%'
"""
PG_FUNCTIONS = """
    SELECT p.proname FROM pg_proc p WHERE p.pronamespace = 'migration_check'::regnamespace
"""


def _app(url: str):
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x", "TESTING": True})


def _insert_audit_event(connection) -> None:
    connection.execute(
        text(
            "INSERT INTO audit_events (at, actor_label, action, object_type, details) "
            "VALUES (CURRENT_TIMESTAMP, 'migration test', 'test.inserted', 'test', '')"
        )
    )


def _deleting_an_audit_event_is_refused() -> bool:
    with db.engine.connect() as connection:
        _insert_audit_event(connection)
        try:
            with connection.begin_nested():
                connection.execute(text("DELETE FROM audit_events"))
        except DBAPIError as error:
            assert "audit_events are append-only" in str(error)
            return True
        finally:
            connection.rollback()
        return False


def test_upgrade_installs_the_triggers_on_sqlite(tmp_path):
    app = _app(f"sqlite:///{tmp_path / 'append_only.db'}")
    with app.app_context():
        upgrade()
        # The search index's triggers (a later revision) are not the archive's guards.
        triggers = (
            "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger' "
            "AND name NOT LIKE 'decision_search%'"
        )
        rows = db.session.execute(text(triggers)).all()
        assert {row.name for row in rows} == trigger_names("sqlite")
        # The archive's three tables and issue 17's incident log, attachments and closings.
        assert {row.tbl_name for row in rows} == set(APPEND_ONLY_TABLES)
        assert all("RAISE(ABORT" in row.sql for row in rows)
        db.session.remove()
        assert _deleting_an_audit_event_is_refused()

        downgrade(revision=BEFORE_APPEND_ONLY)
        assert db.session.execute(text(triggers)).all() == []
        db.session.remove()
        assert not _deleting_an_audit_event_is_refused()

        upgrade()
        assert set(db.session.scalars(text(triggers.replace(", tbl_name, sql", "")))) == (
            trigger_names("sqlite")
        )
        db.session.remove()
        db.engine.dispose()


@pytest.mark.postgres_only
def test_upgrade_installs_the_triggers_on_postgresql(empty_database_url):
    app = _app(empty_database_url)
    with app.app_context():
        upgrade()
        assert set(db.session.scalars(text(PG_TRIGGERS))) == trigger_names("postgresql")
        assert PG_FUNCTION in set(db.session.scalars(text(PG_FUNCTIONS)))
        truncate_triggers = db.session.execute(
            text(PG_TRIGGERS + " AND t.tgname LIKE '%no_truncate'")
        ).all()
        assert len(truncate_triggers) == len(APPEND_ONLY_TABLES)
        db.session.remove()
        assert _deleting_an_audit_event_is_refused()

        downgrade(revision=BEFORE_APPEND_ONLY)
        assert list(db.session.scalars(text(PG_TRIGGERS))) == []
        assert PG_FUNCTION not in set(db.session.scalars(text(PG_FUNCTIONS)))
        db.session.remove()
        assert not _deleting_an_audit_event_is_refused()

        upgrade()
        assert set(db.session.scalars(text(PG_TRIGGERS))) == trigger_names("postgresql")
        db.session.remove()
        db.engine.dispose()
