"""The one-unresolved-review revision widens the one-open-review index to closed reviews
(lifecycle.HOLDS_CLIENT). A client that already has an open review beside a closed,
undecided one stops the upgrade before anything changes, naming both; once the closed one
is decided the upgrade runs, and its downgrade puts the open-only index back. SQLite
always; PostgreSQL when TEST_DATABASE_URL is set."""

from __future__ import annotations

import pytest
from alembic import command
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from app import create_app
from app.extensions import db
from app.models import Review
from tests import factories as f

BEFORE = "a16c_search_filters"  # the revision's down_revision
AFTER = "a19_one_unresolved_review"


def _indexes() -> set[str]:
    return {index["name"] for index in inspect(db.engine).get_indexes("reviews")}


def test_a_client_held_twice_stops_the_upgrade_until_decided(empty_database_url, make_user):
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": empty_database_url, "SECRET_KEY": "x", "TESTING": True}
    )
    with app.app_context():
        upgrade(revision=BEFORE)
        lead = make_user("lead")
        members = [make_user("member") for _ in range(3)]
        from app.services.clients import create_client

        agency_client = create_client("Twice Ltd", "Pat", "", "", lead)
        first = f.open_review(lead, agency_client, members)
        for member in members:
            f.submit(first, member)
        # Closed in SQL: today's close also stores results, in a table this revision
        # does not have yet.
        db.session.execute(
            text("UPDATE reviews SET state = 'closed' WHERE id = :id"), {"id": first.id}
        )
        f.review_beside(first, "open")  # the open-only index lets it in
        db.session.commit()

        # Alembic itself, so the error reaches the test (flask_migrate logs it and exits).
        config = app.extensions["migrate"].migrate.get_config()
        with pytest.raises(RuntimeError) as refused:
            command.upgrade(config, "head")
        message = str(refused.value)
        assert f"{agency_client.id}: #{first.id} closed, #{first.id + 1} open" in message
        db.session.remove()
        db.engine.dispose()
        assert "uq_reviews_one_open_per_client" in _indexes()  # nothing changed

        with db.engine.begin() as connection:
            connection.execute(
                text("UPDATE reviews SET state = 'decided' WHERE id = :id"), {"id": first.id}
            )
        upgrade(revision=AFTER)
        assert "uq_reviews_one_unresolved_per_client" in _indexes()
        assert "uq_reviews_one_open_per_client" not in _indexes()
        # The second review is still open: the first cannot be closed beside it again.
        with pytest.raises(IntegrityError), db.engine.begin() as connection:
            connection.execute(
                text("UPDATE reviews SET state = 'closed' WHERE id = :id"), {"id": first.id}
            )

        downgrade(revision=BEFORE)
        assert "uq_reviews_one_open_per_client" in _indexes()
        assert "uq_reviews_one_unresolved_per_client" not in _indexes()
        db.session.remove()
        db.engine.dispose()


def test_the_revision_leaves_decided_and_cancelled_reviews_free(empty_database_url, make_user):
    """Any number of decided and cancelled reviews of one client, beside one open review."""
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": empty_database_url, "SECRET_KEY": "x", "TESTING": True}
    )
    with app.app_context():
        upgrade()
        lead = make_user("lead")
        from app.services.clients import create_client

        agency_client = create_client("Often Ltd", "Pat", "", "", lead)
        first = f.open_review(lead, agency_client, [make_user("member") for _ in range(3)])
        for state in ("decided", "decided", "cancelled", "cancelled"):
            f.review_beside(first, state)
        db.session.commit()
        assert db.session.query(Review).count() == 5
        db.session.remove()
        db.engine.dispose()
