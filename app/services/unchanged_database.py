"""Answers worked out from the database, kept only while nothing has been written to it.

A decided review's pages ask on every request whether its stored answers still say what
its record sealed. The answer can only change when something is written, so it is kept
here under the database's *state*: a token that two reads give equal only if nothing was
written in between. A request that finds the same state reuses the answer; any write,
from this app or from anyone else's connection, is a new state, and the question is asked
of the rows again. This is not a cache of what was true once: it is the statement
"nothing has changed since it was checked", read from the database itself.

The state:

- PostgreSQL: `pg_current_snapshot()`, what the current statement sees as committed:
  its xmax (one past the newest transaction that has ended) and the ids below it still
  in progress. A transaction that commits either was in that list, and leaves it, or
  was past xmax, and moves it. So two equal snapshots have seen no commit between them,
  in any table. The ids are 64-bit here (xid8): they do not wrap. A transaction's own
  writes change no snapshot until it ends, yet it reads them: once it has written
  (`pg_current_xact_id_if_assigned()` is set), nothing is kept or reused. The server's
  start time goes with it: a restored or promoted server starts anew.
- SQLite: `PRAGMA data_version`, which changes when another connection commits a change
  to the file (a write that leaves every byte as it was may leave it alone: the data is
  then the same); the connection's own `total_changes` (rows it inserted, updated or
  deleted); and `PRAGMA schema_version`. The first is only comparable on the same
  connection, so the state also names the connection, by a number given to it when
  first seen here (never by its address, which a later connection could reuse). While
  the connection holds writes of its own not yet committed, which a rollback would undo
  without a trace in any counter, nothing is kept or reused.

The state is read *before* the rows it vouches for, so what the work reads is at least as
new: a write that lands between the two makes the next state differ, and the work is done
again. What is kept lives in this process, per app (`current_app.extensions`): a state of
one database never meets an answer about another.

What it does not see is what the database does not see either: the file (or the data
directory) edited by hand, underneath SQLite or PostgreSQL. The seal and `verify-archive`
are for that; they keep nothing from here.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Hashable
from typing import TypeVar

from cachetools import LRUCache
from flask import current_app
from sqlalchemy import text

from app.database import prepared
from app.extensions import db

T = TypeVar("T")
KEPT_ANSWERS = 4096
_connection_numbers = itertools.count(1)
# The snapshot; whether this transaction has written anything itself (its own xid); and
# when the server started, so that a server put in its place (a restore, a failover)
# never meets a snapshot taken on the one before, even one spelled the same.
_SNAPSHOT = prepared(  # read by every cold page (app/database.py)
    text(
        "SELECT pg_current_snapshot()::text, pg_current_xact_id_if_assigned(),"
        " pg_postmaster_start_time()"
    )
)


_SQLITE_VERSIONS = (
    "SELECT d.data_version, s.schema_version"
    " FROM pragma_data_version() AS d, pragma_schema_version() AS s"
)


def database_state() -> tuple[Hashable, Hashable] | None:
    """(where, state): a state equal at two moments in the same place only if nothing was
    written to the database between them (see the module's text); None when that cannot
    be told, and the work is done every time."""
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        snapshot, own_write, started = connection.execute(_SNAPSHOT).one()
        # A transaction's own writes are visible to it before they change any snapshot.
        return None if own_write is not None else (("server", started), snapshot)
    if connection.dialect.name != "sqlite":
        return None
    dbapi_connection = connection.connection.dbapi_connection
    if dbapi_connection.in_transaction:
        return None  # its own writes, not yet committed: undone by a rollback, uncounted
    number = connection.info.get("candor_connection_number")
    if number is None:
        number = connection.info.setdefault("candor_connection_number", next(_connection_numbers))
    # Both pragmas in one statement, through their table-valued functions (the same values).
    data_version, schema_version = connection.exec_driver_sql(_SQLITE_VERSIONS).one()
    total_changes = dbapi_connection.total_changes
    return (number, (data_version, schema_version, total_changes))


class _Kept:
    """Answers under their question and place, each with the state it was worked out in.
    Per place: a worker's pool hands a request any of its SQLite connections, and their
    states are not comparable."""

    def __init__(self, size: int) -> None:
        self._answers: LRUCache = LRUCache(maxsize=size)
        self._lock = threading.Lock()

    def get(self, key: Hashable, state: Hashable) -> tuple[bool, object]:
        with self._lock:
            kept = self._answers.get(key)
        if kept is None or kept[0] != state:
            return False, None
        return True, kept[1]

    def put(self, key: Hashable, state: Hashable, answer: object) -> None:
        with self._lock:
            self._answers[key] = (state, answer)


def _kept() -> _Kept:
    kept = current_app.extensions.get("candor_unchanged_database")
    if kept is None:
        kept = current_app.extensions.setdefault("candor_unchanged_database", _Kept(KEPT_ANSWERS))
    return kept


def while_unchanged(question: Hashable, work: Callable[[], T]) -> T:
    """`work()`, or its answer from a request that found the database in the same state.
    `question` must name everything the answer depends on besides the stored rows (a
    review's id, the digest it is checked against)."""
    found = database_state()  # first: what `work` reads is then as new or newer
    if found is None:
        return work()
    place, state = found
    kept = _kept()
    known, answer = kept.get((question, place), state)
    if known:
        return answer  # type: ignore[return-value]
    answer = work()
    kept.put((question, place), state, answer)
    return answer
