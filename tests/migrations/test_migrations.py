"""`flask db upgrade` on an empty database builds exactly what the models describe."""

from __future__ import annotations

import os

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, text

from app import create_app
from app.extensions import db


@pytest.fixture
def empty_database_url(tmp_path):
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    # A separate schema keeps the suite's own tables untouched.
    url = url.replace("postgresql://", "postgresql+psycopg://", 1)
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS migration_check CASCADE"))
        connection.execute(text("CREATE SCHEMA migration_check"))
    yield url + ("&" if "?" in url else "?") + "options=-csearch_path%3Dmigration_check"
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS migration_check CASCADE"))
    engine.dispose()


def test_upgrade_from_empty_matches_the_models(empty_database_url):
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": empty_database_url, "SECRET_KEY": "x", "TESTING": True}
    )
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, db.metadata)
        assert differences == []
        downgrade(revision="base")
        upgrade()
        db.engine.dispose()
