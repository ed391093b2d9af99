from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.types import UTCDateTime, utcnow


class ClientLink(db.Model):
    """A private link for the client. Only the SHA-256 of the token is stored.

    `email_state` says what became of the e-mail: none (not asked for), pending (asked,
    not yet tried: the send runs after the commit), sent, or failed (the lead was shown
    the link to copy and may retry)."""

    __tablename__ = "client_links"
    __table_args__ = (
        CheckConstraint(
            "email_state IN ('none', 'pending', 'sent', 'failed')", name="email_state_known"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_to: Mapped[str] = mapped_column(String(254), default="")
    email_state: Mapped[str] = mapped_column(String(10), default="none", server_default="none")
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    review = relationship("Review")


class ClientResponseRow(db.Model):
    """The client's view. One per review, enforced by a NOT NULL unique review_id."""

    __tablename__ = "client_responses"
    __table_args__ = (
        CheckConstraint("source IN ('link', 'lead')", name="source_known"),
        CheckConstraint(
            "(source = 'link' AND link_id IS NOT NULL) OR "
            "(source = 'lead' AND recorded_by_id IS NOT NULL AND length(source_quote) > 0)",
            name="source_complete",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id"), unique=True)
    source: Mapped[str] = mapped_column(String(10))
    link_id: Mapped[int | None] = mapped_column(ForeignKey("client_links.id"), unique=True)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    source_quote: Mapped[str] = mapped_column(Text, default="")
    comment: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    review = relationship("Review")
    recorded_by = relationship("User")
    answers: Mapped[list[ClientAnswerRow]] = relationship(
        back_populates="response", cascade="all, delete-orphan", order_by="ClientAnswerRow.id"
    )


class ClientAnswerRow(db.Model):
    __tablename__ = "client_answers"
    __table_args__ = (
        UniqueConstraint(
            "client_response_id", "dimension_key", name="uq_client_answers_response_dimension"
        ),
        CheckConstraint("rating BETWEEN 1 AND 5", name="rating_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # No index of its own: it leads the unique constraint's (a21_redundant_indexes).
    client_response_id: Mapped[int] = mapped_column(ForeignKey("client_responses.id"))
    dimension_key: Mapped[str] = mapped_column(String(50))
    rating: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")

    response: Mapped[ClientResponseRow] = relationship(back_populates="answers")
