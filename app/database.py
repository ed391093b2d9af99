"""Database engine tuning that depends on the backend."""

from __future__ import annotations

import select

import psycopg
from flask import Flask
from psycopg import pq
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError

from app.extensions import db


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # Foreign keys are off by default in SQLite; WAL lets readers work while a writer commits,
    # and the busy timeout makes concurrent writers wait instead of failing at once.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def configure_sqlite(app: Flask) -> None:
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    with app.app_context():
        engine: Engine = db.engine
        event.listen(engine, "connect", _sqlite_pragmas)


def _refuse_if_closed_by_server(dbapi_connection, _record, _proxy) -> None:
    """A pooled PostgreSQL connection that the server has closed (restarted, idle too
    long, the backend terminated) has something to read on its socket: the end of the
    stream, or the server's last message. A healthy idle one has nothing (nothing here
    LISTENs). Looking costs no round trip, where `pool_pre_ping` costs one on every
    request; the pool replaces a connection refused here with a new one.

    A peer that vanished without closing (a cable pulled) is not seen here: the first
    statement then fails, the request answers 503, and the pool starts afresh."""
    pgconn = dbapi_connection.pgconn
    if dbapi_connection.closed or pgconn.status != 0:  # 0: CONNECTION_OK
        raise DisconnectionError("the connection is closed")
    watch = select.poll()
    watch.register(pgconn.socket, select.POLLIN | select.POLLERR | select.POLLHUP)
    if watch.poll(0):
        raise DisconnectionError("the server closed the connection")


# The execution option that marks a statement to be prepared (`prepared`).
_PREPARE = "candor_prepare"
# psycopg prepares a statement on its own after it has run this many times on a
# connection; here it never does (a count that is never reached), only when asked. On
# its own it would prepare searches and lists too, and PostgreSQL may then plan them
# once for any value (a "generic plan"): an archive search's page took 50-80 ms where
# its plan for the values given takes 0.6 (README: "the benchmark's own" archive misses).
_NEVER_BY_COUNT = 2**62


PREPARED = {_PREPARE: True}  # the mark as execution options (Session.get takes these)


def prepared(statement):
    """`statement`, prepared on PostgreSQL once per pooled connection and kept there:
    parsed once, and after five runs planned once for any value when PostgreSQL finds
    that no dearer. Only for statements whose best plan cannot depend on their values:
    a row by its key, an insert. Never a search or a list (see `_NEVER_BY_COUNT`).
    SQLite ignores the mark."""
    return statement.execution_options(**PREPARED)


def _execute_prepared_when_marked(cursor, statement, parameters, context):
    if context.execution_options.get(_PREPARE):
        cursor.execute(statement, parameters, prepare=True)
        return True  # executed here: SQLAlchemy must not execute it again
    return None


class _PreparedStatementsKept(psycopg.Connection):
    """A psycopg connection whose rollback keeps its prepared statements.

    psycopg forgets them (and sends DEALLOCATE ALL) at every rollback, in case the
    transaction created a table or type a statement refers to. Every request that only
    reads ends with a rollback, so nothing would stay prepared past one request. The app
    changes no schema in a request; PostgreSQL replans a kept statement by itself when a
    table it reads is dropped, made again or altered (tested:
    tests/services/test_prepared_statements.py)."""

    def rollback(self) -> None:
        if self.pgconn.transaction_status == pq.TransactionStatus.IDLE:
            return  # as psycopg's own: no transaction, nothing to send
        with self.lock:
            result = self.pgconn.exec_(b"ROLLBACK")
        if result.status != pq.ExecStatus.COMMAND_OK:
            # A broken connection: SQLAlchemy sees `broken` and replaces it.
            raise psycopg.OperationalError(self.pgconn.get_error_message())


def _connect(_dialect, _record, cargs, cparams):
    return _PreparedStatementsKept.connect(
        *cargs, **{"prepare_threshold": _NEVER_BY_COUNT, **cparams}
    )


def configure_postgresql(app: Flask) -> None:
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        return
    with app.app_context():
        event.listen(db.engine, "checkout", _refuse_if_closed_by_server)
        event.listen(db.engine, "do_connect", _connect)
        event.listen(db.engine, "do_execute", _execute_prepared_when_marked)
