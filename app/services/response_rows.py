"""A member's response row, written for `reviews.save_response`: where the member stands
on the review (one statement), the first row written whole, a draft written over (or
submitted) only while it is a draft, and the answers and choices as multi-row INSERTs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import bindparam, delete, insert, select, text, update
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


def _standing_statement():
    review_id, user_id = bindparam("review_id"), bindparam("user_id")
    own = select(TeamResponseRow.id).where(
        TeamResponseRow.review_id == review_id, TeamResponseRow.user_id == user_id
    )
    return select(
        CatalogueVersion.version,
        CatalogueVersion.created_at,
        select(ReviewParticipant.id)
        .where(ReviewParticipant.review_id == review_id, ReviewParticipant.user_id == user_id)
        .exists(),
        select(ClientResponseRow.id)
        .where(
            ClientResponseRow.review_id == review_id,
            ClientResponseRow.recorded_by_id == user_id,
        )
        .exists(),
        own.scalar_subquery(),
        own.with_only_columns(TeamResponseRow.status).scalar_subquery(),
    ).where(CatalogueVersion.id == bindparam("catalogue_version_id"))


# Built once, run with each save's values: building this statement (four subqueries) and
# its cache key cost more than running it did.
_STANDING = _standing_statement()


def standing(review: Review, user_id: int) -> Standing:
    row = (
        _connection()
        .execute(
            _STANDING,
            {
                "review_id": review.id,
                "user_id": user_id,
                "catalogue_version_id": review.catalogue_version_id,
            },
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


# The statements of a save are built once (their values are sent as parameters): building
# a statement and its cache key cost about as much as running it.
_INSERT_RESPONSE = {
    dialect: insert_of(TeamResponseRow.__table__)
    .on_conflict_do_nothing(index_elements=["review_id", "user_id"])
    .returning(TeamResponseRow.id)
    for dialect, insert_of in (("postgresql", postgresql_insert), ("sqlite", sqlite_insert))
}
# The SET clause is made of the columns given (`response_fields`).
_UPDATE_DRAFT = update(TeamResponseRow.__table__).where(
    TeamResponseRow.id == bindparam("response_id"), TeamResponseRow.status == "draft"
)
_DELETE_ANSWERS = delete(TeamAnswerRow.__table__).where(
    TeamAnswerRow.response_id == bindparam("response_id")
)
_DELETE_CHOICES = delete(CategoryChoiceRow.__table__).where(
    CategoryChoiceRow.response_id == bindparam("response_id")
)
# With RETURNING, a list of parameter sets is sent as one multi-row INSERT (see below).
_INSERT_ANSWERS = insert(TeamAnswerRow.__table__).returning(TeamAnswerRow.__table__.c.id)
# PostgreSQL: the answers as four arrays, one statement whatever their number. A VALUES
# list of n rows is a statement of 5n parameters that the server parses, binds and plans
# anew on every submit (psycopg's prepared statements do not outlive a request: it drops
# them at every rollback, and each request ends with one); four arrays cost it about
# 0.45 ms where 20 rows' VALUES cost 0.55-0.75 (unprepared, measured on this machine).
# Rows are written in the order given, as before.
_INSERT_ANSWERS_PG = text(
    """
    INSERT INTO team_answers (response_id, dimension_key, rating, confidence, comment)
    SELECT :response_id, given.key, given.rating, given.confidence, given.comment
    FROM unnest(CAST(:keys AS varchar[]), CAST(:ratings AS integer[]),
                CAST(:confidences AS integer[]), CAST(:comments AS text[]))
        WITH ORDINALITY AS given(key, rating, confidence, comment, position)
    ORDER BY given.position
    """
)
_INSERT_CHOICES = insert(CategoryChoiceRow.__table__).returning(CategoryChoiceRow.__table__.c.id)


def insert_response(review: Review, user_id: int, fields: dict) -> int | None:
    """The member's first response row, written whole (a first submit needs no UPDATE), or
    None when a concurrent request of the same member committed one first: the unique
    constraint decides (`ON CONFLICT DO NOTHING`), never a 500 for the loser."""
    insert_first = _INSERT_RESPONSE[db.session.get_bind().dialect.name]
    return _connection().scalar(
        insert_first, {"review_id": review.id, "user_id": user_id, **fields}
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
    changed = _connection().execute(_UPDATE_DRAFT, {"response_id": response_id, **fields}).rowcount
    if changed != 1:
        raise ResponseAlreadySubmitted()


def write_answers(response_id: int, fresh: bool, given: ResponseInput) -> None:
    """The response's answers and choices, each one multi-row INSERT whatever the number of
    questions. A row made by this request has nothing to replace; an older draft's answers
    and choices are deleted first."""
    if not fresh:
        _connection().execute(_DELETE_ANSWERS, {"response_id": response_id})
        _connection().execute(_DELETE_CHOICES, {"response_id": response_id})
    if given.answers:
        _insert_answers(response_id, given)
    choices = [
        {"response_id": response_id, "category_key": key, "evidence": evidence.strip()}
        for key, evidence in given.choices.items()
    ]
    # A list of parameter sets with RETURNING: SQLAlchemy sends it as one multi-row
    # `INSERT ... VALUES (...), (...)` ("insertmanyvalues"). Without RETURNING, psycopg
    # would pipeline one INSERT per row: as many statements for the server to run.
    if choices:
        _connection().execute(_INSERT_CHOICES, choices)


def _insert_answers(response_id: int, given: ResponseInput) -> None:
    answers = given.answers
    if db.session.get_bind().dialect.name == "postgresql":
        _connection().execute(
            _INSERT_ANSWERS_PG,
            {
                "response_id": response_id,
                "keys": list(answers),
                "ratings": [answer.rating for answer in answers.values()],
                "confidences": [answer.confidence for answer in answers.values()],
                "comments": [answer.comment.strip() for answer in answers.values()],
            },
        )
        return
    rows = [
        {
            "response_id": response_id,
            "dimension_key": key,
            "rating": answer.rating,
            "confidence": answer.confidence,
            "comment": answer.comment.strip(),
        }
        for key, answer in answers.items()
    ]
    _connection().execute(_INSERT_ANSWERS, rows)


def _connection():
    """The session's connection, in its transaction. Every statement here is a plain table
    statement that returns rows or ids, never entities, and nothing is pending in the
    session when `save_response` sends them: going past the ORM's statement handling (and
    its autoflush) saves about a third of a millisecond a statement."""
    return db.session.connection()
