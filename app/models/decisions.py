from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.record import read_record
from app.extensions import db
from app.models.types import UTCDateTime, utcnow


class Decision(db.Model):
    """An archived decision. Inserted once, never updated (triggers refuse it): the digest
    chains it to the decision before it, so a change behind the app's back is detectable.
    From schema 2 the digest is an HMAC keyed outside the database (app/domain/record.py)."""

    __tablename__ = "decisions"
    __table_args__ = (
        CheckConstraint("sequence >= 1", name="sequence_positive"),
        CheckConstraint(
            "final_status IN ('active', 'blacklisted', 'cleared')", name="final_status_known"
        ),
        Index("ix_decisions_decided_at_id", "decided_at", "id"),
        # The archive's filters, each already in newest-first order (no sort, no row reads).
        Index("ix_decisions_client_decided", "client_id", "decided_at", "id"),
        Index("ix_decisions_decider_decided", "decided_by_id", "decided_at", "id"),
        Index("ix_decisions_one_sided_decided", "one_sided", "decided_at", "id"),
        Index("ix_decisions_confirmed_decided", "any_confirmed", "decided_at", "id"),
        # A member's decisions (by review) with their order, read without the wide rows.
        Index("ix_decisions_review_decided", "review_id", "decided_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id"), unique=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    rationale: Mapped[str] = mapped_column(Text)
    one_sided: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    waiver_reason: Mapped[str] = mapped_column(Text, default="")
    final_status: Mapped[str] = mapped_column(String(20))
    any_confirmed: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    # Decisions before schema 2 keep their snapshot here; from schema 2 on it is None and
    # the record is `record_text`, exactly the canonical text that was sealed.
    snapshot: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    record_text: Mapped[str | None] = mapped_column(Text, nullable=True)
    sequence: Mapped[int] = mapped_column(Integer, unique=True)
    previous_digest: Mapped[str | None] = mapped_column(String(64))
    digest: Mapped[str] = mapped_column(String(64), unique=True)

    review = relationship("Review")
    client = relationship("Client")
    decided_by = relationship("User")

    @property
    def record(self) -> dict:
        """The sealed record (schema 2, read by app/domain/record.py), or for a decision
        recorded before it, the stored snapshot. Raises ValueError on unreadable text."""
        if self.record_text is not None:
            return read_record(self.record_text)
        return self.snapshot if isinstance(self.snapshot, dict) else {}

    categories: Mapped[list[CategoryDecision]] = relationship(
        back_populates="decision", order_by="CategoryDecision.id"
    )


class CategoryDecision(db.Model):
    __tablename__ = "category_decisions"
    __table_args__ = (
        UniqueConstraint("decision_id", "category_key", name="uq_category_decisions_decision_key"),
        CheckConstraint("outcome IN ('confirmed', 'not_confirmed')", name="outcome_known"),
        Index("ix_category_decisions_key_outcome", "category_key", "outcome"),
        # "Has this decision this category (and outcome)?" answered from the index alone,
        # once per row of an archive walk (app/services/archive_plan.py).
        Index(
            "ix_category_decisions_decision_key_outcome", "decision_id", "category_key", "outcome"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # No index of its own: it leads the unique constraint's (a21_redundant_indexes).
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id"))
    category_key: Mapped[str] = mapped_column(String(50))
    outcome: Mapped[str] = mapped_column(String(20))
    votes: Mapped[int] = mapped_column(Integer, default=0)

    decision: Mapped[Decision] = relationship(back_populates="categories")
