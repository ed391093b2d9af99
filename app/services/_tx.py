"""One use case, one transaction.

`with transaction():` commits when the block ends normally and rolls back on any
exception. Callbacks registered with `after_commit()` run only once the commit has
succeeded (e-mail must never go out for a change that was rolled back).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from flask import g

from app.extensions import db


@contextmanager
def transaction() -> Iterator[None]:
    session = db.session
    g.setdefault("_after_commit", [])
    try:
        yield
        session.commit()
    except BaseException:
        session.rollback()
        g._after_commit = []
        raise
    callbacks, g._after_commit = g._after_commit, []
    for callback in callbacks:
        callback()


def after_commit(callback: Callable[[], None]) -> None:
    g.setdefault("_after_commit", []).append(callback)
