"""A member's response row, written for `reviews.save_response`: where the member stands
on the review (one statement), the first row written whole, a draft written over (or
submitted) only while it is a draft, and the answers and choices as multi-row INSERTs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import delete, insert, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from app.extensions import db
from app.models import (
    CatalogueVersion,
    CategoryChoiceRow,
    ClientResponseRow,
    Review,
    ReviewParticipant,
    TeamAnswerRow,
    TeamResponseRow,
)
from app.services.errors import ConcurrentChange, ResponseAlreadySubmitted

if TYPE_CHECKING:
    from app.services.reviews import ResponseInput


@dataclass(frozen=True)
class Standing:
    """Where a member stands on a review, and the review's catalogue version, read in one
    statement."""

    catalogue_number: int
    catalogue_created_at: datetime
    participant: bool
    recorded_client_view: bool
    response_id: int | None
    response_status: str | None


def standing(review: Review, user_id: int) -> Standing:
    own = select(TeamResponseRow.id).where(
        TeamResponseRow.review_id == review.id, TeamResponseRow.user_id == user_id
    )
    row = (
        _connection()
        .execute(
            select(
                CatalogueVersion.version,
                CatalogueVersion.created_at,
                select(ReviewParticipant.id)
                .where(
                    ReviewParticipant.review_id == review.id, ReviewParticipant.user_id == user_id
                )
                .exists(),
                select(ClientResponseRow.id)
                .where(
                    ClientResponseRow.review_id == review.id,
                    ClientResponseRow.recorded_by_id == user_id,
                )
                .exists(),
                own.scalar_subquery(),
                own.with_only_columns(TeamResponseRow.status).scalar_subquery(),
            ).where(CatalogueVersion.id == review.catalogue_version_id)
        )
        .one()
    )
    return Standing(*row)


def response_fields(given: ResponseInput, submit: bool, now: datetime) -> dict:
    fields = {
        "complexity": given.complexity,
        "consent_named": given.consent_named,
        "updated_at": now,
        "status": "submitted" if submit else "draft",
    }
    if submit:
        fields["submitted_at"] = now
    return fields


def insert_response(review: Review, user_id: int, fields: dict) -> int | None:
    """The member's first response row, written whole (a first submit needs no UPDATE), or
    None when a concurrent request of the same member committed one first: the unique
    constraint decides (`ON CONFLICT DO NOTHING`), never a 500 for the loser."""
    dialect = db.session.get_bind().dialect.name
    insert_of = postgresql_insert if dialect == "postgresql" else sqlite_insert
    return _connection().scalar(
        insert_of(TeamResponseRow.__table__)
        .values(review_id=review.id, user_id=user_id, **fields)
        .on_conflict_do_nothing(index_elements=["review_id", "user_id"])
        .returning(TeamResponseRow.id)
    )


def committed_response_id(review: Review, user_id: int) -> int:
    seen = standing(review, user_id)
    if seen.response_id is None:
        raise ConcurrentChange()
    return seen.response_id


def update_draft(response_id: int, fields: dict) -> None:
    """Write over a draft (which also submits it when `fields` say so), conditional on the
    stored status: two racing submits cannot both win, and nothing is written over a
    submitted answer."""
    changed = (
        _connection()
        .execute(
            update(TeamResponseRow.__table__)
            .where(TeamResponseRow.id == response_id, TeamResponseRow.status == "draft")
            .values(**fields)
        )
        .rowcount
    )
    if changed != 1:
        raise ResponseAlreadySubmitted()


def write_answers(response_id: int, fresh: bool, given: ResponseInput) -> None:
    """The response's answers and choices, each one multi-row INSERT whatever the number of
    questions. A row made by this request has nothing to replace; an older draft's answers
    and choices are deleted first."""
    if not fresh:
        _connection().execute(
            delete(TeamAnswerRow.__table__).where(TeamAnswerRow.response_id == response_id)
        )
        _connection().execute(
            delete(CategoryChoiceRow.__table__).where(CategoryChoiceRow.response_id == response_id)
        )
    answers = [
        {
            "response_id": response_id,
            "dimension_key": key,
            "rating": answer.rating,
            "confidence": answer.confidence,
            "comment": answer.comment.strip(),
        }
        for key, answer in given.answers.items()
    ]
    choices = [
        {"response_id": response_id, "category_key": key, "evidence": evidence.strip()}
        for key, evidence in given.choices.items()
    ]
    # A list of parameter sets with RETURNING: SQLAlchemy sends it as one multi-row
    # `INSERT ... VALUES (...), (...)` ("insertmanyvalues"). Without RETURNING, psycopg
    # would pipeline one INSERT per row: as many statements for the server to run.
    if answers:
        _connection().execute(_returning_id(TeamAnswerRow), answers)
    if choices:
        _connection().execute(_returning_id(CategoryChoiceRow), choices)


def _returning_id(model):
    return insert(model.__table__).returning(model.__table__.c.id)


def _connection():
    """The session's connection, in its transaction. Every statement here is a plain table
    statement that returns rows or ids, never entities, and nothing is pending in the
    session when `save_response` sends them: going past the ORM's statement handling (and
    its autoflush) saves about a third of a millisecond a statement."""
    return db.session.connection()
