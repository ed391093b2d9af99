"""The client incident log: dated entries, append-only in the database (triggers in
app/models/append_only.py). A correction is a new entry pointing at the one it corrects;
the original stays. Entries attached to a review when it is opened are listed in
`review_incidents`, also append-only, and sealed into the decision's record."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.incidents import AMOUNT_MAX_MINOR, INCIDENT_KINDS, TEXT_MAX
from app.extensions import db
from app.models.types import UTCDateTime, utcnow

_KINDS_SQL = "(" + ", ".join(f"'{k}'" for k in INCIDENT_KINDS) + ")"


class IncidentEntry(db.Model):
    __tablename__ = "incident_entries"
    __table_args__ = (
        CheckConstraint(f"kind IN {_KINDS_SQL}", name="kind_known"),
        CheckConstraint(
            f"amount_minor IS NULL OR (amount_minor > 0 AND amount_minor <= {AMOUNT_MAX_MINOR})",
            name="amount_range",
        ),
        CheckConstraint(
            "kind <> 'late_payment' OR amount_minor IS NOT NULL", name="payment_has_amount"
        ),
        CheckConstraint(f"length(text) BETWEEN 1 AND {TEXT_MAX}", name="text_length"),
        CheckConstraint("corrects_id IS NULL OR corrects_id <> id", name="not_self_correcting"),
        Index("ix_incident_entries_client_occurred", "client_id", "occurred_on", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    occurred_on: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text)
    category_key: Mapped[str | None] = mapped_column(String(50))
    amount_minor: Mapped[int | None] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3), default="")
    invoice_ref: Mapped[str] = mapped_column(String(100), default="")
    draft_key: Mapped[str | None] = mapped_column(String(40))
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("incident_entries.id"), index=True)

    author = relationship("User")
    client = relationship("Client")


class ReviewIncident(db.Model):
    """An entry the lead attached to a review when opening it."""

    __tablename__ = "review_incidents"
    __table_args__ = (
        UniqueConstraint("review_id", "entry_id", name="uq_review_incidents_review_entry"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # No index of its own: it leads the unique constraint's (a21_redundant_indexes).
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id"))
    entry_id: Mapped[int] = mapped_column(ForeignKey("incident_entries.id"), index=True)

    entry: Mapped[IncidentEntry] = relationship()
