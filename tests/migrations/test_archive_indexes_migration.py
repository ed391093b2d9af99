"""The archive-indexes revision adds the three indexes the archive's plans read (a member's
reviews and their decisions, a category tested per decision), replacing the index on
review_participants.user_id, and its downgrade puts things back as they were.
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
    ("review_participants", "ix_review_participants_user_review"): ["user_id", "review_id"],
}
REPLACED = {("review_participants", "ix_review_participants_user_id"): ["user_id"]}


def _indexes() -> dict[tuple[str, str], list[str]]:
    inspector = inspect(db.engine)
    return {
        (table, index["name"]): index["column_names"]
        for table in ("decisions", "category_decisions", "review_participants")
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
        before = _indexes()
        assert not set(ADDED) & set(before)
        assert {key: before.get(key) for key in REPLACED} == REPLACED
        upgrade(revision="a16b_archive_indexes")
        found = _indexes()
        assert {key: found.get(key) for key in ADDED} == ADDED
        assert not set(REPLACED) & set(found)
        downgrade(revision=BEFORE)
        assert _indexes() == before
        db.engine.dispose()
