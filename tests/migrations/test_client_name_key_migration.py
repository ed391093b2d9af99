"""The client-name revision keys existing clients and makes the key unique; clients whose
names differ only in case or spacing stop the upgrade before anything changes, with their
ids and names in the message. SQLite always; PostgreSQL when TEST_DATABASE_URL is set."""

from __future__ import annotations

import pytest
from alembic import command
from flask_migrate import upgrade
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from app import create_app
from app.extensions import db

BEFORE = "4ed131537aed"  # the revision's down_revision


def _insert(connection, name: str) -> None:
    connection.execute(
        text(
            "INSERT INTO clients (name, contact_name, contact_email, notes, status, created_at) "
            "VALUES (:name, '', '', '', 'active', CURRENT_TIMESTAMP)"
        ),
        {"name": name},
    )


def _columns() -> set[str]:
    return {column["name"] for column in inspect(db.engine).get_columns("clients")}


def test_duplicates_stop_the_upgrade_and_renamed_ones_get_unique_keys(empty_database_url):
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": empty_database_url, "SECRET_KEY": "x", "TESTING": True}
    )
    with app.app_context():
        upgrade(revision=BEFORE)
        with db.engine.begin() as connection:
            for name in ("Acme AS", "  acme\u200b   AS ", "Nordlys"):
                _insert(connection, name)

        # Alembic itself, so the error reaches the test (flask_migrate logs it and exits).
        config = app.extensions["migrate"].migrate.get_config()
        with pytest.raises(RuntimeError) as refused:
            command.upgrade(config, "head")
        message = str(refused.value)
        assert "#1 'Acme AS', #2" in message and "'  acme\\u200b   AS '" in message
        assert "Nordlys" not in message
        db.engine.dispose()
        assert "name_key" not in _columns()  # nothing changed: the upgrade can run again

        with db.engine.begin() as connection:
            connection.execute(text("UPDATE clients SET name = 'Acme Denmark' WHERE id = 2"))
        upgrade()
        with db.engine.connect() as connection:
            keys = dict(connection.execute(text("SELECT id, name_key FROM clients")).all())
        assert keys == {1: "acme as", 2: "acme denmark", 3: "nordlys"}
        with pytest.raises(IntegrityError), db.engine.begin() as connection:
            _insert(connection, "x")
            connection.execute(text("UPDATE clients SET name_key = 'acme as' WHERE name = 'x'"))
        db.session.remove()
        db.engine.dispose()
