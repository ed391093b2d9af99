"""The archive-indexes revision adds the two indexes the archive's plans read (a member's
decisions by review, a category tested per decision) and takes them away again.
SQLite always; PostgreSQL when TEST_DATABASE_URL is set."""

from __future__ import annotations

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from app import create_app
from app.extensions import db

BEFORE = "a16_search_index"  # the revision's down_revision
ADDED = {
    ("decisions", "ix_decisions_review_decided"): ["review_id", "decided_at", "id"],
    ("category_decisions", "ix_category_decisions_decision_key_outcome"): [
        "decision_id",
        "category_key",
        "outcome",
    ],
}


def _indexes() -> dict[tuple[str, str], list[str]]:
    inspector = inspect(db.engine)
    return {
        (table, index["name"]): index["column_names"]
        for table in ("decisions", "category_decisions")
        for index in inspector.get_indexes(table)
    }


def test_the_revision_adds_the_archive_indexes_and_its_downgrade_removes_them(
    empty_database_url,
):
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": empty_database_url, "SECRET_KEY": "x", "TESTING": True}
    )
    with app.app_context():
        upgrade(revision=BEFORE)
        assert not set(ADDED) & set(_indexes())
        upgrade(revision="a16b_archive_indexes")
        found = _indexes()
        assert {key: found.get(key) for key in ADDED} == ADDED
        downgrade(revision=BEFORE)
        assert not set(ADDED) & set(_indexes())
        db.engine.dispose()
