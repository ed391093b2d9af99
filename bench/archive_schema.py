"""A kept benchmark database (bench/archive.py --database, bench/archive_pg.py --keep) made
before an index was added to the models gets it, as the migration gives it to a deployed
archive, so the figures are measured on the schema the app runs on."""

from __future__ import annotations


def add_missing_indexes() -> None:
    from sqlalchemy import inspect, text

    from app.extensions import db

    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        inspector = inspect(connection)
        added = False
        for table in db.metadata.sorted_tables:
            present = {index["name"] for index in inspector.get_indexes(table.name)}
            for index in table.indexes:
                if index.name not in present:
                    index.create(connection)
                    added = True
        if added and connection.dialect.name == "postgresql":
            # As autovacuum soon would. Not on SQLite: the app never runs ANALYZE there,
            # and statistics would change its plans from what a deployed archive gets.
            connection.execute(text("ANALYZE"))


def upgrade_search_index() -> bool:
    """A kept PostgreSQL benchmark schema whose search table predates the latest revision
    of app/models/search_index.py gets it rebuilt, as a16c_search_filters rebuilds a
    deployed archive's. Whether it did (the caller times it)."""
    from sqlalchemy import inspect, text

    from app.extensions import db
    from app.models.search_index import LATEST, TABLE, rebuild_statements

    with db.engine.begin() as connection:
        if connection.dialect.name != "postgresql":
            return False
        columns = {column["name"] for column in inspect(connection).get_columns(TABLE)}
        if "members" in columns:
            return False
        for statement in rebuild_statements(connection.dialect.name, LATEST):
            connection.execute(text(statement))
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(f"VACUUM ANALYZE {TABLE}"))
    return True
