"""Reading a decision's sealed record, and the facts of its row that the seal covers.

The domain's `app/domain/record.py` builds, seals and reads records; this module hands it
the key (from configuration, never from the database) and the rows.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from sqlalchemy import text, update
from sqlalchemy.orm import Session

from app.domain.record import RowFacts
from app.models import Decision

# Any fixed number: the one advisory lock everyone appending to the chain takes.
ARCHIVE_CHAIN_LOCK = 0x43414E44  # "CAND"


def lock_archive_chain(session: Session) -> None:
    """Take the archive chain's head until the current transaction ends.

    Every decision is sealed over the one before it and takes the next sequence number,
    so whoever appends to the chain (a decision, or anything else that writes a record)
    calls this first and reads the head after it: appends then queue instead of racing for
    the same number and refusing each other, whatever review they are about.

    PostgreSQL: a transaction-scoped advisory lock; the second caller waits until the
    first commits, and its next statement sees the new head. SQLite has one writer at a
    time: a write statement that matches no row takes the database's write lock now
    (waiting up to the busy timeout), so the head read after it is the latest.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ARCHIVE_CHAIN_LOCK})
    else:
        session.execute(
            update(Decision)
            .where(text("0 = 1"))
            .values(sequence=Decision.sequence)
            .execution_options(synchronize_session=False)
        )


def archive_key() -> bytes:
    return current_app.config["ARCHIVE_KEY"].encode("utf-8")


def is_sealed(decision: Decision) -> bool:
    """A schema-2 record with a keyed seal (decisions before it keep a plain chain)."""
    return decision.record_text is not None


def record_of(decision: Decision) -> dict[str, Any]:
    """The record a page, a chart or an export shows: the sealed text for schema 2, the
    stored snapshot for older decisions. Raises ValueError when the text is unreadable."""
    return decision.record


def facts_of(decision: Decision, categories=None) -> RowFacts:
    """The row's own columns as the seal binds them."""
    rows = decision.categories if categories is None else categories
    return RowFacts(
        sequence=decision.sequence,
        review_id=decision.review_id,
        client_id=decision.client_id,
        decided_by_id=decision.decided_by_id,
        decided_at=decision.decided_at.isoformat(),
        final_status=decision.final_status,
        rationale=decision.rationale,
        waiver=decision.waiver_reason or "",
        one_sided=bool(decision.one_sided),
        outcomes={c.category_key: (c.outcome, c.votes) for c in rows},
    )
