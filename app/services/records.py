"""Reading a decision's sealed record, the facts of its row that the seal covers, and
the archive chain's one way in: `append_to_chain`.

The domain's `app/domain/record.py` builds, seals and reads records; this module hands it
the key (from configuration, never from the database) and the rows. The chain holds
decisions and the offboarding kits' closing records (app/models/offboarding.py) in one
sequence: both are appended through `append_to_chain`, so whatever serialises appends to
the head (a lock taken there) covers both.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from flask import current_app
from sqlalchemy import select, union_all, update
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Session

from app.domain.offboarding import ClosingFacts
from app.domain.record import RowFacts, seal
from app.extensions import db
from app.models import ClosingRecord, Decision


class ChainRow(Protocol):
    sequence: int
    previous_digest: str | None
    digest: str


Row = TypeVar("Row", bound=ChainRow)

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
        session.execute(sql_text("SELECT pg_advisory_xact_lock(:key)"), {"key": ARCHIVE_CHAIN_LOCK})
    else:
        session.execute(
            update(Decision)
            .where(sql_text("0 = 1"))
            .values(sequence=Decision.sequence)
            .execution_options(synchronize_session=False)
        )


def archive_key() -> bytes:
    return current_app.config["ARCHIVE_KEY"].encode("utf-8")


def is_sealed(decision: Decision) -> bool:
    """A schema-2 record with a keyed seal (decisions before it keep a plain chain)."""
    return decision.record_text is not None


def record_text_hash(text: str) -> str:
    """SHA-256 of a record's exact text: what a page drawn from the record is kept under,
    so a text changed behind the app's back is never served its old drawing."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


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


def _links():
    """(sequence, digest, previous_digest) of every record in the chain, both kinds."""
    return union_all(
        select(Decision.sequence, Decision.digest, Decision.previous_digest),
        select(ClosingRecord.sequence, ClosingRecord.digest, ClosingRecord.previous_digest),
    ).subquery()


def chain_head() -> tuple[int, str] | None:
    """The newest record's (sequence, digest), decision or closing record."""
    links = _links()
    row = db.session.execute(
        select(links.c.sequence, links.c.digest).order_by(links.c.sequence.desc()).limit(1)
    ).first()
    return None if row is None else (row.sequence, row.digest)


def digest_at(sequence: int) -> str | None:
    links = _links()
    return db.session.scalar(select(links.c.digest).where(links.c.sequence == sequence))


def previous_digest_at(sequence: int) -> str | None:
    """What the record at `sequence` points back at (None when there is no such record)."""
    links = _links()
    return db.session.scalar(select(links.c.previous_digest).where(links.c.sequence == sequence))


def closing_facts(row) -> ClosingFacts:
    """A closing record's columns as its seal binds them (`row`: a ClosingRecord or a row)."""
    return ClosingFacts(
        sequence=row.sequence,
        kit_id=row.kit_id,
        client_id=row.client_id,
        sealed_by_id=row.sealed_by_id,
        sealed_at=row.sealed_at.isoformat(),
    )


def append_to_chain(row: Row, facts: Callable[[Row], Any], text: str) -> Row:
    """Give `row` the next sequence number, point it at the head and seal it: HMAC over the
    previous seal, `facts(row)` (its columns, as the domain binds them) and `text`. Adds
    and flushes the row. Appends are serialised (above); should two still race, the
    unique sequence constraint lets one win and the caller retries."""
    # Decisions and closing records share one chain but live in two tables, whose unique
    # sequence constraints cannot see each other: every append queues on the chain's lock.
    lock_archive_chain(db.session)
    head = chain_head()
    row.sequence, row.previous_digest = (1, None) if head is None else (head[0] + 1, head[1])
    row.digest = seal(archive_key(), row.previous_digest, facts(row), text)
    db.session.add(row)
    db.session.flush()
    return row
