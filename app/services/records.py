"""Reading a decision's sealed record, and the facts of its row that the seal covers.

The domain's `app/domain/record.py` builds, seals and reads records; this module hands it
the key (from configuration, never from the database) and the rows.
"""

from __future__ import annotations

from typing import Any

from flask import current_app

from app.domain.record import RowFacts
from app.models import Decision


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
