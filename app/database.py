"""Database engine tuning that depends on the backend."""

from __future__ import annotations

import select

from flask import Flask
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


def configure_postgresql(app: Flask) -> None:
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        return
    with app.app_context():
        event.listen(db.engine, "checkout", _refuse_if_closed_by_server)
