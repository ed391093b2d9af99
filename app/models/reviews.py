from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.catalogue import COMPLEXITY_SCALE
from app.domain.lifecycle import ReviewState
from app.extensions import db
from app.models.types import UTCDateTime, review_state_type, state_check, utcnow

# lifecycle.HOLDS_CLIENT as SQL (tests/services/test_unresolved_review_holds_client.py
# holds the two equal).
HOLDING_CLIENT_SQL = "state IN ('open', 'closed')"
DEFAULT_COMPLEXITY_FLOOR = 3  # rows from before the column existed; new reviews set their own


class Review(db.Model):
    __tablename__ = "reviews"
    __table_args__ = (
        CheckConstraint(state_check("state", ReviewState), name="state_known"),
        CheckConstraint("quorum >= 1", name="quorum_positive"),
        CheckConstraint(
            f"complexity_floor BETWEEN {COMPLEXITY_SCALE[0]} AND {COMPLEXITY_SCALE[-1]}",
            name="complexity_floor_range",
        ),
        # One open or undecided review per client (lifecycle.HOLDS_CLIENT), in the
        # database too: two leads opening at the same moment cannot both succeed, and no
        # review opens beside a closed one nobody decided (the service names it).
        Index(
            "uq_reviews_one_unresolved_per_client",
            "client_id",
            unique=True,
            sqlite_where=text(HOLDING_CLIENT_SQL),
            postgresql_where=text(HOLDING_CLIENT_SQL),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    catalogue_version_id: Mapped[int] = mapped_column(ForeignKey("catalogue_versions.id"))
    conflict: Mapped[str] = mapped_column(Text)
    deadline: Mapped[datetime] = mapped_column(UTCDateTime())
    quorum: Mapped[int] = mapped_column(Integer)
    state: Mapped[ReviewState] = mapped_column(
        review_state_type(), default=ReviewState.OPEN, index=True
    )
    # The lead's complexity level (1-5), fixed before anyone answers; members' own ratings
    # are shown beside it but never loosen the check.
    complexity_floor: Mapped[int] = mapped_column(
        Integer, server_default=str(DEFAULT_COMPLEXITY_FLOOR)
    )
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Cancelled while open, with the lead's reason (answers are kept, never shown).
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    # Bumped on every change to the review's answers; the chart cache keys on it.
    data_version: Mapped[int] = mapped_column(Integer, default=1)

    client = relationship("Client")
    lead = relationship("User", foreign_keys=[lead_id])
    catalogue_version = relationship("CatalogueVersion")
    participants: Mapped[list[ReviewParticipant]] = relationship(
        back_populates="review", order_by="ReviewParticipant.label"
    )
    responses: Mapped[list[TeamResponseRow]] = relationship(back_populates="review")


class ReviewParticipant(db.Model):
    __tablename__ = "review_participants"
    __table_args__ = (
        UniqueConstraint("review_id", "user_id", name="uq_review_participants_review_user"),
        UniqueConstraint("review_id", "label", name="uq_review_participants_review_label"),
        # A member's reviews (their archive list) read from the index alone, without a
        # visit to each row for its review id (a16b_archive_indexes).
        Index("ix_review_participants_user_review", "user_id", "review_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # No index of its own: it leads the unique constraint's (a21_redundant_indexes).
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # The anonymous name used on comparison pages ("Member A").
    label: Mapped[str] = mapped_column(String(20))

    review: Mapped[Review] = relationship(back_populates="participants")
    user = relationship("User")


class TeamResponseRow(db.Model):
    __tablename__ = "team_responses"
    __table_args__ = (
        UniqueConstraint("review_id", "user_id", name="uq_team_responses_review_user"),
        CheckConstraint("status IN ('draft', 'submitted')", name="status_known"),
        CheckConstraint(
            "complexity IS NULL OR complexity BETWEEN 1 AND 5", name="complexity_range"
        ),
        CheckConstraint(
            "status = 'draft' OR (complexity IS NOT NULL AND submitted_at IS NOT NULL)",
            name="submitted_is_complete",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # No index of its own: it leads the unique constraint's (a21_redundant_indexes).
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(10), default="draft")
    complexity: Mapped[int | None] = mapped_column(Integer)
    consent_named: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    review: Mapped[Review] = relationship(back_populates="responses")
    user = relationship("User")
    answers: Mapped[list[TeamAnswerRow]] = relationship(
        back_populates="response", cascade="all, delete-orphan", order_by="TeamAnswerRow.id"
    )
    choices: Mapped[list[CategoryChoiceRow]] = relationship(
        back_populates="response", cascade="all, delete-orphan", order_by="CategoryChoiceRow.id"
    )


class TeamAnswerRow(db.Model):
    __tablename__ = "team_answers"
    __table_args__ = (
        UniqueConstraint("response_id", "dimension_key", name="uq_team_answers_response_dimension"),
        CheckConstraint("rating IS NULL OR rating BETWEEN 1 AND 5", name="rating_range"),
        CheckConstraint(
            "confidence IS NULL OR confidence BETWEEN 50 AND 100", name="confidence_range"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # No index of its own: it leads the unique constraint's (a21_redundant_indexes).
    response_id: Mapped[int] = mapped_column(ForeignKey("team_responses.id"))
    dimension_key: Mapped[str] = mapped_column(String(50))
    rating: Mapped[int | None] = mapped_column(Integer)
    confidence: Mapped[int | None] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")

    response: Mapped[TeamResponseRow] = relationship(back_populates="answers")


class CategoryChoiceRow(db.Model):
    __tablename__ = "category_choices"
    __table_args__ = (
        UniqueConstraint(
            "response_id", "category_key", name="uq_category_choices_response_category"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # No index of its own: it leads the unique constraint's (a21_redundant_indexes).
    response_id: Mapped[int] = mapped_column(ForeignKey("team_responses.id"))
    category_key: Mapped[str] = mapped_column(String(50))
    evidence: Mapped[str] = mapped_column(Text, default="")

    response: Mapped[TeamResponseRow] = relationship(back_populates="choices")
