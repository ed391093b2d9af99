from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.types import UTCDateTime, utcnow


class StoredResultsRow(db.Model):
    """A closed review's results as worked out when it closed, sealed:
    app/domain/stored_results.py says what they hold and app/services/stored_results.py
    when they are used. One per review; a page never trusts one whose basis or seal does
    not match its review's."""

    __tablename__ = "stored_results"
    __table_args__ = (CheckConstraint("length(seal) = 64", name="seal_length"),)

    review_id: Mapped[int] = mapped_column(
        ForeignKey("reviews.id", ondelete="CASCADE"), primary_key=True
    )
    basis: Mapped[str] = mapped_column(Text)
    body: Mapped[bytes] = mapped_column(LargeBinary)
    # The flags' rows, which `body` binds by their SHA-256; read only when a flag is.
    flag_rows: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    seal: Mapped[str] = mapped_column(String(64))
    stored_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
