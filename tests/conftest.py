"""Shared fixtures: an app on a fresh database per test, clients, factories.

The suite runs on SQLite by default and on PostgreSQL when TEST_DATABASE_URL is set.
The schema is built once per run; every test starts from empty tables.
"""

from __future__ import annotations

import itertools
import os
from datetime import timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import text

from app import create_app
from app.extensions import db
from app.models import search_index, utcnow
from app.models.append_only import drop_append_only_triggers, install_append_only_triggers
from app.models.search_index import empty_search_index, install_search_index
from tests.helpers import PASSWORD

_counter = itertools.count(1)


def _database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


def pytest_collection_modifyitems(config, items):
    # Tests that need real concurrent transactions run on PostgreSQL only. They are
    # deselected (not skipped) elsewhere, so CI's "no skips" rule stays meaningful.
    if os.environ.get("TEST_DATABASE_URL"):
        return
    kept = [item for item in items if "postgres_only" not in item.keywords]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in kept])
        items[:] = kept


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    # In CI a skipped test is a test that did not run: fail it instead of hiding it.
    if os.environ.get("CI") == "true" and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped in CI (CI=true): {report.longrepr}"


class FreshContextClient(FlaskClient):
    """Each request gets its own app context, so `g` and the database session are
    not shared with the test body (which holds an app context for direct queries),
    just as two real requests share nothing."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        # The request may have changed rows the test body has loaded: read them afresh.
        db.session.expire_all()
        return response


TEST_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-secret-key",
    "WTF_CSRF_ENABLED": False,
    # Limits are read per request; tests that check them lower this again.
    "LOGIN_RATE_LIMIT": "10000 per minute",
    "TOKEN_RATE_LIMIT": "10000 per minute",
    "LOGIN_FREE_FAILURES": 10000,
    "SERVER_NAME": None,
    "BASE_URL": "http://candor.test",
}


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    url = _database_url(tmp_path_factory)
    application = create_app(
        {
            **TEST_CONFIG,
            "SQLALCHEMY_DATABASE_URI": url.replace("postgresql://", "postgresql+psycopg://", 1),
        }
    )
    application.test_client_class = FreshContextClient
    # Production-strength Argon2 costs ~50 ms a hash; tests only need the same algorithm.
    from argon2 import PasswordHasher

    from app.services import passwords

    passwords._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    with application.app_context():
        db.drop_all()
        db.create_all()
        # create_all() builds tables only: the archive's append-only triggers come from the
        # same function the Alembic revision uses, so every test runs against them.
        with db.engine.begin() as connection:
            install_append_only_triggers(connection)
            # The archive's search index too (raw SQL, like the triggers).
            install_search_index(connection)
    yield application
    with application.app_context():
        db.session.remove()
        with db.engine.begin() as connection:
            drop_append_only_triggers(connection)  # PostgreSQL: the trigger function too
            for statement in search_index.drop_statements(connection.dialect.name):
                connection.execute(text(statement))
        db.drop_all()
        db.engine.dispose()


def _empty_all_tables() -> None:
    # The archive tables refuse DELETE and TRUNCATE (app/models/append_only.py), so the
    # emptying runs between dropping their triggers and installing them again, as anyone
    # clearing a real database would have to. The same code on both backends, no superuser
    # setting (session_replication_role) and no exception built into the triggers: what a
    # test sees is exactly what the migration installs. On PostgreSQL it is all one
    # transaction; on SQLite the DROP TRIGGERs commit on their own (pysqlite opens a
    # transaction only at the first DELETE), and if a run dies halfway the next test's
    # drop-if-exists and reinstall put things right again.
    tables = list(reversed(db.metadata.sorted_tables))
    connection = db.session.connection()
    drop_append_only_triggers(connection)
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(table.delete())
    empty_search_index(connection)  # ids are reused: no row may outlive its decision
    install_append_only_triggers(connection)
    db.session.commit()


@pytest.fixture(autouse=True)
def _deployment_thresholds(app):
    # A test may swap the app's thresholds; the next test gets the deployment's again.
    saved = app.extensions["candor_thresholds"]
    yield
    app.extensions["candor_thresholds"] = saved


@pytest.fixture(autouse=True)
def _fresh_database(request, app):
    with app.app_context():
        _empty_all_tables()
        yield
        db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def csrf_enabled(app, monkeypatch):
    """CSRF tokens checked as in production (the suite's configuration turns them off)."""
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)


@pytest.fixture
def app_with_thresholds(app):
    """Another app on the same test database whose deployment overrides thresholds, as
    CANDOR_THRESHOLD_<NAME> variables would: `app_with_thresholds(min_respondents="4")`."""
    made = []

    def make(**thresholds):
        other = create_app(
            {
                **TEST_CONFIG,
                "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                "CANDOR_THRESHOLDS": thresholds,
            }
        )
        other.test_client_class = FreshContextClient
        made.append(other)
        return other

    yield make
    # The test's own session may have read through another app's engine (the session
    # binds to the current app's engine): return that connection before disposing.
    db.session.remove()
    for other in made:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_user(app):
    from app.services.users import create_user

    def make(role: str = "member", email: str | None = None, name: str | None = None, active=True):
        n = next(_counter)
        user = create_user(
            email or f"{role}{n}@example.com", name or f"{role.title()} {n}", role, PASSWORD
        )
        if not active:
            from app.models import User

            db.session.get(User, user.id).active = False
            db.session.commit()
        return user

    return make


@pytest.fixture
def login():
    def do_login(http_client, user, password: str = PASSWORD):
        response = http_client.post(
            "/auth/login", data={"email": user.email, "password": password}, follow_redirects=False
        )
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return response

    return do_login


@pytest.fixture
def make_client(app):
    from app.services.clients import create_client

    def make(name: str | None = None, actor=None, **fields):
        from app.models import User

        actor = actor or db.session.query(User).filter_by(role="lead").first()
        if actor is None:
            from app.services.users import create_user

            actor = create_user(
                f"clientowner{next(_counter)}@example.com", "Owner", "lead", PASSWORD
            )
        return create_client(
            name or f"Client {next(_counter)}",
            fields.get("contact_name", "Pat Contact"),
            fields.get("contact_email", "pat@client.example"),
            fields.get("notes", ""),
            actor,
            language=fields.get("language", "en"),
        )

    return make


@pytest.fixture
def later():
    return lambda **kw: utcnow() + timedelta(**kw)


@pytest.fixture
def empty_store(app):
    """The shared store empty before and after the test (kept pages and charts): each
    fetch of a page is drawn."""
    from app.services.shared_store import shared_store

    with app.app_context():
        shared_store().clear()
    yield
    with app.app_context():
        shared_store().clear()
