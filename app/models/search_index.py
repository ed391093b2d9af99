"""The archive's text-search index: one row per decision holding the words it is found by
(the client's name, the review's conflict and the decision's rationale), kept by triggers.

- SQLite: an FTS5 table with the trigram tokenizer. It answers substring queries (what
  the archive's search has always meant: every word must occur somewhere) from its index
  for words of three letters or more, folding case beyond ASCII.
- PostgreSQL: a plain table with a GIN trigram index (pg_trgm), which serves the same
  `ILIKE '%word%'` the search used before, from the index instead of a scan.

The decision's id is the row's key (`rowid` in FTS5). Triggers fill it on every new
decision and rewrite it when a client is renamed or a conflict is edited, so no service
has to remember it. Like app/models/append_only.py, this module is the one place the SQL
lives: the Alembic revision that creates the index (migrations/versions/
a16_archive_search_index.py) and the test suite's schema fixture both call it.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Connection

TABLE = "decision_search"
# Everything the statements below create that the models do not describe; Alembic's
# comparison of the models with a migrated database leaves these names alone.
OWN_TABLES = frozenset(
    {TABLE}
    | {f"{TABLE}_{part}" for part in ("data", "idx", "content", "docsize", "config")}
)

_SQLITE_BODY = "c.name || ' ' || r.conflict || ' ' || d.rationale"
_SQLITE = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5(body, tokenize='trigram')",
    f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_decision AFTER INSERT ON decisions BEGIN
        INSERT INTO {TABLE} (rowid, body)
        SELECT d.id, {_SQLITE_BODY} FROM decisions d
        JOIN clients c ON c.id = d.client_id JOIN reviews r ON r.id = d.review_id
        WHERE d.id = new.id;
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_client AFTER UPDATE OF name ON clients BEGIN
        DELETE FROM {TABLE} WHERE rowid IN (SELECT id FROM decisions WHERE client_id = new.id);
        INSERT INTO {TABLE} (rowid, body)
        SELECT d.id, {_SQLITE_BODY} FROM decisions d
        JOIN clients c ON c.id = d.client_id JOIN reviews r ON r.id = d.review_id
        WHERE d.client_id = new.id;
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_review AFTER UPDATE OF conflict ON reviews BEGIN
        DELETE FROM {TABLE} WHERE rowid IN (SELECT id FROM decisions WHERE review_id = new.id);
        INSERT INTO {TABLE} (rowid, body)
        SELECT d.id, {_SQLITE_BODY} FROM decisions d
        JOIN clients c ON c.id = d.client_id JOIN reviews r ON r.id = d.review_id
        WHERE d.review_id = new.id;
    END""",
]
_SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS {TABLE}_decision",
    f"DROP TRIGGER IF EXISTS {TABLE}_client",
    f"DROP TRIGGER IF EXISTS {TABLE}_review",
    f"DROP TABLE IF EXISTS {TABLE}",
]

_PG_BODY = "c.name || ' ' || r.conflict || ' ' || d.rationale"
_PG_REFRESH = f"""
    INSERT INTO {TABLE} (decision_id, body)
    SELECT d.id, {_PG_BODY} FROM decisions d
    JOIN clients c ON c.id = d.client_id JOIN reviews r ON r.id = d.review_id
    WHERE %s
    ON CONFLICT (decision_id) DO UPDATE SET body = excluded.body"""
_POSTGRES = [
    # In public, named with its schema below: a database has one pg_trgm, whatever schema
    # the migration runs in.
    "CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public",
    f"CREATE TABLE IF NOT EXISTS {TABLE} (decision_id integer PRIMARY KEY, body text NOT NULL)",
    f"CREATE INDEX IF NOT EXISTS ix_{TABLE}_body ON {TABLE} USING gin (body public.gin_trgm_ops)",
    f"""CREATE OR REPLACE FUNCTION {TABLE}_refresh() RETURNS trigger AS $$
    BEGIN
        IF TG_TABLE_NAME = 'decisions' THEN
            {_PG_REFRESH % "d.id = NEW.id"};
        ELSIF TG_TABLE_NAME = 'clients' THEN
            {_PG_REFRESH % "d.client_id = NEW.id"};
        ELSE
            {_PG_REFRESH % "d.review_id = NEW.id"};
        END IF;
        RETURN NULL;
    END $$ LANGUAGE plpgsql""",
    f"DROP TRIGGER IF EXISTS {TABLE}_decision ON decisions",
    f"""CREATE TRIGGER {TABLE}_decision AFTER INSERT ON decisions
        FOR EACH ROW EXECUTE FUNCTION {TABLE}_refresh()""",
    f"DROP TRIGGER IF EXISTS {TABLE}_client ON clients",
    f"""CREATE TRIGGER {TABLE}_client AFTER UPDATE OF name ON clients
        FOR EACH ROW EXECUTE FUNCTION {TABLE}_refresh()""",
    f"DROP TRIGGER IF EXISTS {TABLE}_review ON reviews",
    f"""CREATE TRIGGER {TABLE}_review AFTER UPDATE OF conflict ON reviews
        FOR EACH ROW EXECUTE FUNCTION {TABLE}_refresh()""",
]
_POSTGRES_DROP = [
    f"DROP TRIGGER IF EXISTS {TABLE}_decision ON decisions",
    f"DROP TRIGGER IF EXISTS {TABLE}_client ON clients",
    f"DROP TRIGGER IF EXISTS {TABLE}_review ON reviews",
    f"DROP FUNCTION IF EXISTS {TABLE}_refresh()",
    f"DROP TABLE IF EXISTS {TABLE}",
]
# What the index holds for decisions that exist before it does (a migrated database).
_BACKFILL = {
    "sqlite": f"""INSERT INTO {TABLE} (rowid, body)
        SELECT d.id, {_SQLITE_BODY} FROM decisions d
        JOIN clients c ON c.id = d.client_id JOIN reviews r ON r.id = d.review_id""",
    "postgresql": _PG_REFRESH % "true",
}


def install_statements(dialect_name: str) -> list[str]:
    if dialect_name == "sqlite":
        return list(_SQLITE)
    if dialect_name == "postgresql":
        return list(_POSTGRES)
    raise NotImplementedError(f"No archive search index for the {dialect_name} dialect")


def drop_statements(dialect_name: str) -> list[str]:
    if dialect_name == "sqlite":
        return list(_SQLITE_DROP)
    if dialect_name == "postgresql":
        return list(_POSTGRES_DROP)
    raise NotImplementedError(f"No archive search index for the {dialect_name} dialect")


def backfill_statement(dialect_name: str) -> str:
    return _BACKFILL[dialect_name]


def install_search_index(connection: Connection, backfill: bool = False) -> None:
    dialect = connection.dialect.name
    for statement in install_statements(dialect):
        connection.execute(text(statement))
    if backfill:
        connection.execute(text(f"DELETE FROM {TABLE}"))
        connection.execute(text(backfill_statement(dialect)))


def empty_search_index(connection: Connection) -> None:
    """For whoever empties the decisions table (the test suite between tests)."""
    connection.execute(text(f"DELETE FROM {TABLE}"))
