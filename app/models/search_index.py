"""The archive's text-search index: one row per decision holding the words it is found by
(the client's name, the review's conflict and the decision's rationale), kept by triggers.

- SQLite: an FTS5 table with the trigram tokenizer. It answers substring queries (what
  the archive's search has always meant: every word must occur somewhere) from its index
  for words of three letters or more, folding case beyond ASCII.
- PostgreSQL: a plain table with a GIN trigram index (pg_trgm) over the lowercased text,
  which serves `LIKE '%word%'` with the lowercased word (the search's old `ILIKE`, at a
  fraction of its cost per row) from the index instead of a scan. Since revision 2
  (a16c_search_filters) the row also holds the decision's date, lead, outcome filters met
  and its review's participants, the last three in the same GIN index (btree_gin for the
  lead), so a search and those filters are one bitmap (archive_query.indexed_search).

The decision's id is the row's key (`rowid` in FTS5). Triggers fill it on every new
decision and rewrite it when a client is renamed or a conflict is edited, so no service
has to remember it (on PostgreSQL, also when a decided review's participants change); the
text a decision is found by is written once per dialect and every trigger and the
backfill use it. Like app/models/append_only.py, this module is the one place the SQL
lives: the Alembic revisions that create the index (migrations/versions/
a16_archive_search_index.py, version 1) and rebuild it (a16c_search_filters.py, version
2), the benchmark and the test suite's schema fixture (the latest version) all call it.
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
_POSTGRES_ROWS = "SELECT d.id, lower(c.name || ' ' || r.conflict || ' ' || d.rationale)"
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
_POSTGRES_UPSERT = " ON CONFLICT (decision_id) DO UPDATE SET body = excluded.body"
# Version 2 (a16c_search_filters) keeps beside the words what the archive's filters ask
# of a decision, so one GIN index answers "these words, and this outcome, lead, member"
# in one bitmap. `outcomes` holds the outcome filters the decision meets, by the names
# archive_query.OUTCOME_FILTERS gives them; `members`, who may see it (its review's
# participants). Decisions never change (append-only.py); the participants of a decided
# review do not either in the app, but a trigger keeps `members` right if they do.
_POSTGRES_FILTER_COLUMNS = (
    ", d.decided_at, d.decided_by_id, "
    "ARRAY[CASE WHEN d.any_confirmed THEN 'confirmed' ELSE 'not_confirmed' END]"
    " || CASE WHEN d.one_sided THEN ARRAY['one_sided'] ELSE '{}'::text[] END, "
    "ARRAY(SELECT p.user_id FROM review_participants p WHERE p.review_id = d.review_id "
    "ORDER BY p.user_id)"
)
_POSTGRES_FILL = {
    1: "INSERT INTO decision_search (decision_id, body) " + _POSTGRES_ROWS + _JOINED,
    2: "INSERT INTO decision_search "
    "(decision_id, body, decided_at, decided_by_id, outcomes, members) "
    + _POSTGRES_ROWS
    + _POSTGRES_FILTER_COLUMNS
    + _JOINED,
}
_POSTGRES_REFILL = {
    1: _POSTGRES_UPSERT,
    2: _POSTGRES_UPSERT + ", members = excluded.members",
}
_POSTGRES_TABLE = {
    1: "CREATE TABLE IF NOT EXISTS decision_search "
    "(decision_id integer PRIMARY KEY, body text NOT NULL)",
    2: "CREATE TABLE IF NOT EXISTS decision_search "
    "(decision_id integer PRIMARY KEY, body text NOT NULL, decided_at timestamptz NOT NULL, "
    "decided_by_id integer NOT NULL, outcomes text[] NOT NULL, members integer[] NOT NULL)",
}
# btree_gin lets an integer column (decided_by_id) sit in a GIN index beside the others.
_POSTGRES_INDEX = {
    1: "CREATE INDEX IF NOT EXISTS ix_decision_search_body ON decision_search "
    "USING gin (body public.gin_trgm_ops)",
    2: "CREATE INDEX IF NOT EXISTS ix_decision_search_body ON decision_search "
    "USING gin (body public.gin_trgm_ops, outcomes, decided_by_id, members)",
}
LATEST = 2

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


def _postgres(version: int) -> list[str]:
    def refill(where: str) -> str:
        return _POSTGRES_FILL[version] + " WHERE " + where + _POSTGRES_REFILL[version] + "; "

    statements = [
        # In public, named with its schema below: a database has one pg_trgm, whatever
        # schema the migration runs in.
        "CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public",
        *(["CREATE EXTENSION IF NOT EXISTS btree_gin WITH SCHEMA public"] if version > 1 else []),
        _POSTGRES_TABLE[version],
        _POSTGRES_INDEX[version],
        "CREATE OR REPLACE FUNCTION decision_search_refresh() RETURNS trigger AS $$ BEGIN "
        "IF TG_TABLE_NAME = 'decisions' THEN "
        + refill("d.id = NEW.id")
        + "ELSIF TG_TABLE_NAME = 'clients' THEN "
        + refill("d.client_id = NEW.id")
        + (
            "ELSE " + refill("d.review_id = NEW.id")
            if version == 1
            else "ELSIF TG_TABLE_NAME = 'reviews' THEN "
            + refill("d.review_id = NEW.id")
            # review_participants: the review a row leaves and the one it joins.
            + "ELSE IF TG_OP <> 'INSERT' THEN "
            + refill("d.review_id = OLD.review_id")
            + "END IF; IF TG_OP <> 'DELETE' THEN "
            + refill("d.review_id = NEW.review_id")
            + "END IF; "
        )
        + "END IF; RETURN NULL; END $$ LANGUAGE plpgsql",
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
    if version > 1:
        statements += [
            "DROP TRIGGER IF EXISTS decision_search_participants ON review_participants",
            """CREATE TRIGGER decision_search_participants
            AFTER INSERT OR DELETE OR UPDATE OF review_id, user_id ON review_participants
            FOR EACH ROW EXECUTE FUNCTION decision_search_refresh()""",
        ]
    return statements


_POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS decision_search_decision ON decisions",
    "DROP TRIGGER IF EXISTS decision_search_participants ON review_participants",
    "DROP TRIGGER IF EXISTS decision_search_client ON clients",
    "DROP TRIGGER IF EXISTS decision_search_review ON reviews",
    "DROP FUNCTION IF EXISTS decision_search_refresh()",
    "DROP TABLE IF EXISTS decision_search",
]
_EMPTY = "DELETE FROM decision_search"


def install_statements(dialect_name: str, version: int = LATEST) -> list[str]:
    """The SQL that creates the index, as revision `version` made it (a16_search_index:
    1, a16c_search_filters: 2; SQLite's is the same in both)."""
    if dialect_name == "sqlite":
        return list(_SQLITE)
    if dialect_name == "postgresql":
        return _postgres(version)
    raise NotImplementedError(f"No archive search index for the {dialect_name} dialect")


def drop_statements(dialect_name: str) -> list[str]:
    if dialect_name == "sqlite":
        return list(_SQLITE_DROP)
    if dialect_name == "postgresql":
        return list(_POSTGRES_DROP)
    raise NotImplementedError(f"No archive search index for the {dialect_name} dialect")


def backfill_statement(dialect_name: str, version: int = LATEST) -> str:
    """What the index holds for decisions that exist before it does (a migrated database)."""
    if dialect_name == "sqlite":
        return _SQLITE_FILL + " WHERE true"
    return _POSTGRES_FILL[version] + " WHERE true" + _POSTGRES_REFILL[version]


def install_search_index(connection: Connection, backfill: bool = False) -> None:
    dialect = connection.dialect.name
    for statement in install_statements(dialect):
        connection.execute(text(statement))
    if backfill:
        connection.execute(text(_EMPTY))
        connection.execute(text(backfill_statement(dialect)))


def rebuild_statements(dialect_name: str, version: int) -> list[str]:
    """PostgreSQL: the index dropped and made again as revision `version` made it, filled
    from the archive (a migration between versions). SQLite's never changed: nothing."""
    if dialect_name == "sqlite":
        return []
    return [
        *drop_statements(dialect_name),
        *install_statements(dialect_name, version),
        backfill_statement(dialect_name, version),
    ]


def empty_search_index(connection: Connection) -> None:
    """For whoever empties the decisions table (the test suite between tests)."""
    connection.execute(text(_EMPTY))
