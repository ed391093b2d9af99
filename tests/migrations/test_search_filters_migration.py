"""The search-filters revision gives PostgreSQL's search table the archive's filter columns
under one GIN index, filled from the archive that is there and kept by a trigger on the
review's participants too; its downgrade puts the words-only table back, filled again.
SQLite's index is not touched. SQLite always; PostgreSQL when TEST_DATABASE_URL is set."""

from __future__ import annotations

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from app import create_app
from app.extensions import db
from bench.archive_pg import FILL

BEFORE = "a16b_archive_indexes"  # the revision's down_revision
AFTER = "a16c_search_filters"
FILTER_COLUMNS = {"decided_at", "decided_by_id", "outcomes", "members"}


def _shape(connection) -> tuple[set[str], str, set[str]]:
    """The search table's columns, its GIN index's definition and its triggers' names."""
    columns = {column["name"] for column in inspect(connection).get_columns("decision_search")}
    index = connection.scalar(
        text(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_decision_search_body'"
            " AND schemaname = current_schema()"
        )
    )
    triggers = set(
        connection.scalars(
            text(
                "SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
                " WHERE t.tgname LIKE 'decision_search%'"
                " AND c.relnamespace = current_schema()::regnamespace"
            )
        )
    )
    return columns, index, triggers


def test_the_revision_adds_the_filter_columns_filled_and_its_downgrade_removes_them(
    empty_database_url,
):
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": empty_database_url, "SECRET_KEY": "x", "TESTING": True}
    )
    with app.app_context():
        upgrade(revision=BEFORE)
        if db.engine.dialect.name == "sqlite":
            tables = set(inspect(db.engine).get_table_names())
            upgrade(revision=AFTER)
            assert set(inspect(db.engine).get_table_names()) == tables
            downgrade(revision=BEFORE)
            assert set(inspect(db.engine).get_table_names()) == tables
            db.engine.dispose()
            return
        with db.engine.begin() as connection:
            for statement in FILL:  # five decided reviews, the benchmark's shape
                connection.execute(text(statement), {"n": 5})
            before = _shape(connection)
        assert not FILTER_COLUMNS & before[0]
        assert "decision_search_participants" not in before[2]
        upgrade(revision=AFTER)
        with db.engine.begin() as connection:
            columns, index, triggers = _shape(connection)
            assert FILTER_COLUMNS <= columns
            assert "(body public.gin_trgm_ops, outcomes, decided_by_id, members)" in index
            assert "decision_search_participants" in triggers
            held = connection.execute(
                text(
                    "SELECT s.decision_id, s.decided_by_id = d.decided_by_id,"
                    " s.decided_at = d.decided_at, s.outcomes, s.members,"
                    " d.any_confirmed, d.one_sided, d.review_id"
                    " FROM decision_search s JOIN decisions d ON d.id = s.decision_id"
                )
            ).all()
            assert len(held) == 5
            for _, same_lead, same_time, outcomes, members, confirmed, one_sided, review in held:
                assert same_lead and same_time
                expected = ["confirmed" if confirmed else "not_confirmed"]
                assert outcomes == expected + (["one_sided"] if one_sided else [])
                team = connection.scalars(
                    text(
                        "SELECT user_id FROM review_participants WHERE review_id = :r"
                        " ORDER BY user_id"
                    ),
                    {"r": review},
                )
                assert members == list(team)
        downgrade(revision=BEFORE)
        with db.engine.begin() as connection:
            assert _shape(connection) == before
            assert connection.scalar(text("SELECT count(*) FROM decision_search")) == 5
        db.engine.dispose()
