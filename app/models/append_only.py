"""The archive is append-only in the database itself, not only by the app's good manners.

`decisions`, `category_decisions` and `audit_events` refuse UPDATE and DELETE (and, on
PostgreSQL, TRUNCATE) with triggers, so a stray script, a console session or a bug that
tries to rewrite history fails loudly instead of leaving it to the digest chain to notice
later. The only way around them is to drop the triggers first, which takes the rights of
the tables' owner and is a deliberate act.

This module is the one place the trigger SQL lives. The Alembic revision that installs
them (migrations/versions/4ed131537aed_append_only_archive.py) and the test suite's schema
fixture (tests/conftest.py, which builds tables with `db.create_all()`) both call it, so a
migrated database and the test database carry the same triggers. Changing the SQL here
changes what that revision installs on a fresh database; an existing database only gets
the change from a new revision that drops and reinstalls them.

A refused statement raises on both backends, with "<table> are append-only" in the message:
- PostgreSQL: SQLSTATE P0001 (raise_exception), seen as `sqlalchemy.exc.ProgrammingError`;
- SQLite: `RAISE(ABORT, ...)` is a constraint error, seen as `sqlalchemy.exc.IntegrityError`
  (so code that retries on IntegrityError, like decide_review, would retry it on SQLite).
Catch `sqlalchemy.exc.DBAPIError` to handle both.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Connection

APPEND_ONLY_TABLES: tuple[str, ...] = (
    "decisions",
    "category_decisions",
    "audit_events",
    # The client incident log (issue 17) and the offboarding kits' sealed closing records.
    "incident_entries",
    "review_incidents",
    "closing_records",
)

# PostgreSQL: one trigger function shared by every table; it names the table it refuses.
PG_FUNCTION = "candor_refuse_archive_change"


def trigger_names(dialect_name: str, tables: tuple[str, ...] = APPEND_ONLY_TABLES) -> set[str]:
    """The names of the triggers `install_append_only_triggers` creates on that backend."""
    if dialect_name == "postgresql":
        return {
            name for table in tables for name in (f"{table}_append_only", f"{table}_no_truncate")
        }
    return {name for table in tables for name in (f"{table}_no_update", f"{table}_no_delete")}


def install_statements(
    dialect_name: str, tables: tuple[str, ...] = APPEND_ONLY_TABLES
) -> list[str]:
    """The SQL that makes `tables` append-only. Plain strings, so an Alembic revision can
    emit them with `op.execute` (also in offline `--sql` mode). No `%` or `:` in them:
    they pass through `text()` unchanged on every driver."""
    if dialect_name == "postgresql":
        statements = [
            f"""
            CREATE OR REPLACE FUNCTION {PG_FUNCTION}() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION USING
                    ERRCODE = 'P0001',
                    MESSAGE = TG_TABLE_NAME || ' are append-only',
                    HINT = 'Archived records are never changed or removed; record a new one.';
            END;
            $$
            """
        ]
        for table in tables:
            statements.append(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {PG_FUNCTION}()"
            )
            statements.append(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {PG_FUNCTION}()"
            )
        return statements
    if dialect_name == "sqlite":
        return [
            f"CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} are append-only'); END"
            for table in tables
            for event in ("UPDATE", "DELETE")
        ]
    raise NotImplementedError(f"No append-only triggers for the {dialect_name} dialect")


def drop_statements(dialect_name: str, tables: tuple[str, ...] = APPEND_ONLY_TABLES) -> list[str]:
    """The SQL that removes what `install_statements` created (missing ones are skipped)."""
    if dialect_name == "postgresql":
        statements = [
            f"DROP TRIGGER IF EXISTS {name} ON {table}"
            for table in tables
            for name in (f"{table}_append_only", f"{table}_no_truncate")
        ]
        return [*statements, f"DROP FUNCTION IF EXISTS {PG_FUNCTION}()"]
    if dialect_name == "sqlite":
        return [
            f"DROP TRIGGER IF EXISTS {name}" for name in sorted(trigger_names("sqlite", tables))
        ]
    raise NotImplementedError(f"No append-only triggers for the {dialect_name} dialect")


def install_append_only_triggers(connection: Connection) -> None:
    """Make the archive tables refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL).
    Runs in the connection's transaction; the caller commits."""
    for statement in install_statements(connection.dialect.name):
        connection.execute(text(statement))


def drop_append_only_triggers(connection: Connection) -> None:
    """Remove the triggers again: for the migration's downgrade, and for the test suite,
    which empties every table between tests. Runs in the connection's transaction."""
    for statement in drop_statements(connection.dialect.name):
        connection.execute(text(statement))
