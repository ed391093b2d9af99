"""Column types shared by every model."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import DateTime, Enum
from sqlalchemy.types import TypeDecorator

from app.domain.catalogue_texts import CATALOGUE_LANGUAGES
from app.domain.lifecycle import ReviewState

# The languages a user or client may have, for CHECK constraints.
LANGUAGES_SQL = "(" + ", ".join(f"'{code}'" for code in CATALOGUE_LANGUAGES) + ")"


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Stores aware datetimes as UTC and always hands back aware UTC datetimes.

    SQLite has no time zones and returns naive values; one type keeps both backends equal.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; Candor stores UTC-aware datetimes only")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def review_state_type() -> Enum:
    """The review's state as ReviewState, stored as each member's value (its lowercase text).

    Not a native enum: a VARCHAR(10) on every backend, guarded by the model's own CHECK
    constraint (`state_known`), so SQLite and PostgreSQL store the same text and a new state
    needs no ALTER TYPE. Unknown text is refused before it reaches the database.
    """
    return Enum(
        ReviewState,
        native_enum=False,
        create_constraint=False,
        values_callable=lambda states: [state.value for state in states],
        length=10,
        validate_strings=True,
    )


def state_check(column: str, states: type[StrEnum]) -> str:
    """The SQL of a CHECK that allows exactly the enum's values, in their declared order."""
    return f"{column} IN (" + ", ".join(f"'{state.value}'" for state in states) + ")"
