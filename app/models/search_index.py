"""The archive's text-search index: one row per decision holding the words it is found by
(the client's name, the review's conflict and the decision's rationale), kept by triggers.

- SQLite: an FTS5 table with the trigram tokenizer. It answers substring queries (what
  the archive's search has always meant: every word must occur somewhere) from its index
  for words of three letters or more, folding case beyond ASCII.
- PostgreSQL: a plain table with a GIN trigram index (pg_trgm) over the lowercased text,
  which serves `LIKE '%word%'` with the lowercased word (the search's old `ILIKE`, at a
  fraction of its cost per row) from the index instead of a scan.

The decision's id is the row's key (`rowid` in FTS5). Triggers fill it on every new
decision and rewrite it when a client is renamed or a conflict is edited, so no service
has to remember it; the text a decision is found by is written once per dialect and
every trigger and the backfill use it. Like app/models/append_only.py, this module is the
one place the SQL lives: the Alembic revision that creates the index (migrations/versions/
a16_archive_search_index.py) and the test suite's schema fixture both call it.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Connection

TABLE = "decision_search"
# Everything the statements below create that the models do not describe; Alembic's
# comparison of the models with a migrated database leaves these names alone.
OWN_TABLES = frozenset(
    {TABLE} | {f"{TABLE}_{part}" for part in ("data", "idx", "content", "docsize", "config")}
)

# What a decision is found by, one row per decision (`d`), as each dialect indexes it.
# Every statement below is put together from these constants only: no value from outside
# ever reaches the SQL text.
_JOINED = (
    " FROM decisions d JOIN clients c ON c.id = d.client_id JOIN reviews r ON r.id = d.review_id"
)
_SQLITE_ROWS = "SELECT d.id, c.name || ' ' || r.conflict || ' ' || d.rationale" + _JOINED
_POSTGRES_ROWS = "SELECT d.id, lower(c.name || ' ' || r.conflict || ' ' || d.rationale)" + _JOINED
_SQLITE_FILL = "INSERT INTO decision_search (rowid, body) " + _SQLITE_ROWS
# FTS5 has no upsert: a renamed client's (an edited review's) rows go, then come back.
_SQLITE_FORGET_CLIENTS = (
    "DELETE FROM decision_search WHERE rowid IN "
    "(SELECT id FROM decisions WHERE client_id = new.id); "
)
_SQLITE_FORGET_REVIEWS = (
    "DELETE FROM decision_search WHERE rowid IN "
    "(SELECT id FROM decisions WHERE review_id = new.id); "
)
# PostgreSQL's trigger runs per row and may meet a row already there (a rename).
_POSTGRES_FILL = "INSERT INTO decision_search (decision_id, body) " + _POSTGRES_ROWS
_POSTGRES_UPSERT = " ON CONFLICT (decision_id) DO UPDATE SET body = excluded.body"

_SQLITE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS decision_search USING fts5(body, tokenize='trigram')",
    "CREATE TRIGGER IF NOT EXISTS decision_search_decision AFTER INSERT ON decisions BEGIN "
    + _SQLITE_FILL
    + " WHERE d.id = new.id; END",
    "CREATE TRIGGER IF NOT EXISTS decision_search_client AFTER UPDATE OF name ON clients BEGIN "
    + _SQLITE_FORGET_CLIENTS
    + _SQLITE_FILL
    + " WHERE d.client_id = new.id; END",
    "CREATE TRIGGER IF NOT EXISTS decision_search_review AFTER UPDATE OF conflict ON reviews "
    "BEGIN " + _SQLITE_FORGET_REVIEWS + _SQLITE_FILL + " WHERE d.review_id = new.id; END",
]
_SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS decision_search_decision",
    "DROP TRIGGER IF EXISTS decision_search_client",
    "DROP TRIGGER IF EXISTS decision_search_review",
    "DROP TABLE IF EXISTS decision_search",
]

_POSTGRES = [
    # In public, named with its schema below: a database has one pg_trgm, whatever schema
    # the migration runs in.
    "CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public",
    "CREATE TABLE IF NOT EXISTS decision_search "
    "(decision_id integer PRIMARY KEY, body text NOT NULL)",
    "CREATE INDEX IF NOT EXISTS ix_decision_search_body ON decision_search "
    "USING gin (body public.gin_trgm_ops)",
    "CREATE OR REPLACE FUNCTION decision_search_refresh() RETURNS trigger AS $$ BEGIN "
    "IF TG_TABLE_NAME = 'decisions' THEN "
    + _POSTGRES_FILL
    + " WHERE d.id = NEW.id"
    + _POSTGRES_UPSERT
    + "; ELSIF TG_TABLE_NAME = 'clients' THEN "
    + _POSTGRES_FILL
    + " WHERE d.client_id = NEW.id"
    + _POSTGRES_UPSERT
    + "; ELSE "
    + _POSTGRES_FILL
    + " WHERE d.review_id = NEW.id"
    + _POSTGRES_UPSERT
    + "; END IF; RETURN NULL; END $$ LANGUAGE plpgsql",
    "DROP TRIGGER IF EXISTS decision_search_decision ON decisions",
    """CREATE TRIGGER decision_search_decision AFTER INSERT ON decisions
        FOR EACH ROW EXECUTE FUNCTION decision_search_refresh()""",
    "DROP TRIGGER IF EXISTS decision_search_client ON clients",
    """CREATE TRIGGER decision_search_client AFTER UPDATE OF name ON clients
        FOR EACH ROW EXECUTE FUNCTION decision_search_refresh()""",
    "DROP TRIGGER IF EXISTS decision_search_review ON reviews",
    """CREATE TRIGGER decision_search_review AFTER UPDATE OF conflict ON reviews
        FOR EACH ROW EXECUTE FUNCTION decision_search_refresh()""",
]
_POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS decision_search_decision ON decisions",
    "DROP TRIGGER IF EXISTS decision_search_client ON clients",
    "DROP TRIGGER IF EXISTS decision_search_review ON reviews",
    "DROP FUNCTION IF EXISTS decision_search_refresh()",
    "DROP TABLE IF EXISTS decision_search",
]
# What the index holds for decisions that exist before it does (a migrated database).
_BACKFILL = {
    "sqlite": _SQLITE_FILL + " WHERE true",
    "postgresql": _POSTGRES_FILL + " WHERE true" + _POSTGRES_UPSERT,
}
_EMPTY = "DELETE FROM decision_search"


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
        connection.execute(text(_EMPTY))
        connection.execute(text(backfill_statement(dialect)))


def empty_search_index(connection: Connection) -> None:
    """For whoever empties the decisions table (the test suite between tests)."""
    connection.execute(text(_EMPTY))
