"""Accounts and roles."""

from __future__ import annotations

from sqlalchemy import func, select

from app.domain.catalogue_texts import CATALOGUE_LANGUAGES as SUPPORTED_LANGUAGES
from app.extensions import db
from app.models import ROLES, User
from app.models.users import new_session_nonce
from app.services import audit
from app.services._tx import transaction
from app.services.errors import (
    EmailAlreadyUsed,
    InvalidCredentials,
    LastAdminRequired,
    NotFound,
    ServiceError,
    WrongPassword,
)
from app.services.passwords import hash_password, verify_password


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("No such user.")
    return user


def session_identity(session_id: str) -> tuple[int, str] | None:
    """The user id and nonce of Flask-Login's "<id>:<nonce>", or None if malformed."""
    user_id, _, nonce = session_id.partition(":")
    if not user_id.isdigit() or not nonce:
        return None
    return int(user_id), nonce


def may_keep_session(user: User | None, nonce: str) -> bool:
    """An active account whose nonce still matches: a stale nonce (password changed,
    sessions ended by an admin) logs out."""
    return user is not None and user.active and user.session_nonce == nonce


def list_users() -> list[User]:
    return list(db.session.scalars(select(User).order_by(User.name, User.email)))


def list_users_by_role(*roles: str) -> list[User]:
    return list(
        db.session.scalars(
            select(User).where(User.role.in_(roles), User.active.is_(True)).order_by(User.name)
        )
    )


def create_user(email: str, name: str, role: str, password: str, actor: User | None = None) -> User:
    email = normalise_email(email)
    if role not in ROLES:
        raise ServiceError(f"Unknown role {role!r}.", code="unknown_role", value=role)
    with transaction():
        if db.session.scalar(select(User.id).where(User.email == email)) is not None:
            raise EmailAlreadyUsed(email)
        user = User(
            email=email, name=name.strip(), role=role, password_hash=hash_password(password)
        )
        db.session.add(user)
        db.session.flush()
        audit.record("user.created", "user", user.id, actor, role=role, email=email)
    return user


def authenticate(email: str, password: str) -> User:
    user = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    if not verify_password(user.password_hash if user else None, password):
        raise InvalidCredentials()
    if not user.active:
        raise InvalidCredentials()
    return user


def change_password(user: User, current: str, new: str) -> None:
    if not verify_password(user.password_hash, current):
        raise WrongPassword()
    with transaction():
        user.password_hash = hash_password(new)
        # A new nonce ends every other session; the caller logs this one in again.
        user.session_nonce = new_session_nonce()
        audit.record("user.password_changed", "user", user.id, user)


def _active_admins() -> int:
    return db.session.scalar(
        select(func.count()).select_from(User).where(User.role == "admin", User.active.is_(True))
    )


def set_role(user_id: int, role: str, actor: User) -> User:
    if role not in ROLES:
        raise ServiceError(f"Unknown role {role!r}.", code="unknown_role", value=role)
    with transaction():
        user = find_user(user_id)
        if user.role == "admin" and role != "admin" and user.active and _active_admins() <= 1:
            raise LastAdminRequired()
        old = user.role
        user.role = role
        audit.record("user.role_changed", "user", user.id, actor, old=old, new=role)
    return user


def set_active(user_id: int, active: bool, actor: User) -> User:
    with transaction():
        user = find_user(user_id)
        if not active and user.role == "admin" and user.active and _active_admins() <= 1:
            raise LastAdminRequired()
        user.active = active
        if not active:
            user.session_nonce = new_session_nonce()
        audit.record("user.activated" if active else "user.deactivated", "user", user.id, actor)
    return user


def set_language(user: User, language: str | None) -> User:
    """The user's own language; None hands the choice back to the browser."""
    if language is not None and language not in SUPPORTED_LANGUAGES:
        raise ServiceError(f"Unknown language {language!r}.", code="unknown_language")
    with transaction():
        user = find_user(user.id)
        old = user.language
        user.language = language
        audit.record("user.language_changed", "user", user.id, user, old=old, new=language)
    return user
