"""Login sessions held on the server: started at login, checked on every request, ended
at logout, after `SESSION_IDLE_SECONDS` without use and `SESSION_ABSOLUTE_SECONDS` after
login whatever happens. The cookie carries a random token; only its SHA-256 is stored.

A signed cookie alone cannot be taken back: a copy made before logout would keep working
(and each use would re-sign it for another idle period). Here the row decides.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import bindparam, delete, or_, select, update

from app.database import prepared
from app.extensions import db
from app.models import LoginSession, User
from app.services._tx import transaction
from app.services.users import may_keep_session, session_identity

# last_seen_at is written at most once a minute per session: the idle lifetime is
# measured in hours, and a write on every request would cost more than it tells.
SEEN_PRECISION = timedelta(seconds=60)


def _nothing() -> None:
    return None


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _idle() -> timedelta:
    return timedelta(seconds=current_app.config["SESSION_IDLE_SECONDS"])


def _absolute() -> timedelta:
    return timedelta(seconds=current_app.config["SESSION_ABSOLUTE_SECONDS"])


def start_session(user: User, now: datetime) -> str:
    """A new session for `user`; returns the token for the cookie (shown nowhere else)."""
    token = secrets.token_urlsafe(32)
    with transaction():
        # The user's finished sessions are of no further use: keep the table small.
        db.session.execute(
            delete(LoginSession).where(
                LoginSession.user_id == user.id,
                or_(
                    LoginSession.ended_at.is_not(None),
                    LoginSession.started_at <= now - _absolute(),
                    LoginSession.last_seen_at <= now - _idle(),
                ),
            )
        )
        db.session.add(
            LoginSession(token_hash=_hash(token), user_id=user.id, started_at=now, last_seen_at=now)
        )
    return token


# Built once and prepared (app/database.py): it runs on every request, and building a
# statement and its cache key cost about as much as running it.
_SESSION_USER = prepared(
    select(
        User,
        LoginSession.id,
        LoginSession.started_at,
        LoginSession.last_seen_at,
        LoginSession.ended_at,
    )
    .join(
        LoginSession,
        (LoginSession.user_id == User.id) & (LoginSession.token_hash == bindparam("token_hash")),
    )
    .where(User.id == bindparam("user_id"))
)


def session_user(
    identity: str, token: str | None, now: datetime, on_use_recorded: Callable[[], None] = _nothing
) -> User | None:
    """The user a request's cookie stands for, or None when its session has ended
    (logged out, idle too long, past its absolute lifetime, password changed, deactivated).
    `on_use_recorded` is called when this request's use is written (last_seen_at): the
    cookie is then given a new expiry to match.

    The account and its session row are read in one statement (a join on the token's hash
    and the user id): this runs on every request, and two lookups cost a round trip more."""
    parsed = session_identity(identity) if token else None
    if parsed is None:
        return None
    user_id, nonce = parsed
    found = db.session.execute(
        _SESSION_USER, {"user_id": user_id, "token_hash": _hash(token)}
    ).first()
    if found is None:
        return None
    user, login_session_id, started_at, last_seen_at, ended_at = found
    if (
        not may_keep_session(user, nonce)
        or ended_at is not None
        or now - started_at >= _absolute()
        or now - last_seen_at >= _idle()
    ):
        return None
    if now - last_seen_at >= SEEN_PRECISION:
        with transaction():
            db.session.execute(
                update(LoginSession.__table__)
                .where(LoginSession.id == login_session_id)
                .values(last_seen_at=now)
            )
        # The commit expired the user; reading it again keeps the caller's object fresh.
        db.session.refresh(user)
        on_use_recorded()
    return user


def end_session(token: str | None, now: datetime) -> None:
    """Logout: the session ends on the server, so every copy of its cookie is dead."""
    if not token:
        return
    with transaction():
        db.session.execute(
            update(LoginSession)
            .where(LoginSession.token_hash == _hash(token), LoginSession.ended_at.is_(None))
            .values(ended_at=now)
        )
