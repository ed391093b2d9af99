"""A member's response row, written for `reviews.save_response` from what the member typed
(`ResponseInput`, defined here with the rows it becomes): where the member stands
on the review (read with the review's lock), the first row written whole with its answers,
choices and audit event (one statement on PostgreSQL), a draft written over (or submitted)
only while it is a draft, and the answers and choices as multi-row INSERTs."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import bindparam, delete, insert, select, text, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from app.database import prepared
from app.extensions import db
from app.models import (
    AuditEvent,
    CatalogueVersion,
    CategoryChoiceRow,
    ClientResponseRow,
    Review,
    ReviewParticipant,
    TeamAnswerRow,
    TeamResponseRow,
    UTCDateTime,
)
from app.services import audit
from app.services.errors import ConcurrentChange, ResponseAlreadySubmitted


@dataclass(frozen=True)
class AnswerInput:
    rating: int | None
    confidence: int | None
    comment: str = ""


@dataclass(frozen=True)
class ResponseInput:
    """What a member typed; drafts may be partial, a submission must be complete."""

    complexity: int | None
    answers: dict[str, AnswerInput] = field(default_factory=dict)
    choices: dict[str, str] = field(default_factory=dict)  # category key -> evidence
    consent_named: bool = False


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


def standing_columns() -> tuple:
    """The review's catalogue version and where the member stands, by the parameters
    `review_id` and `user_id`: selected alone (`standing`) or beside the review as it is
    locked for an answer (`reviews.lock_to_answer`), a statement fewer on every save."""
    review_id, user_id = bindparam("review_id"), bindparam("user_id")
    own = select(TeamResponseRow.id).where(
        TeamResponseRow.review_id == review_id, TeamResponseRow.user_id == user_id
    )
    return (
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
    )


# Built once, run with each save's values: building this statement (four subqueries) and
# its cache key cost more than running it did.
_STANDING = select(*standing_columns()).where(
    CatalogueVersion.id == bindparam("catalogue_version_id")
)


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
_INSERT_RESPONSE_SQLITE = (
    sqlite_insert(TeamResponseRow.__table__)
    .on_conflict_do_nothing(index_elements=["review_id", "user_id"])
    .returning(TeamResponseRow.id)
)
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
_INSERT_CHOICES = insert(CategoryChoiceRow.__table__).returning(CategoryChoiceRow.__table__.c.id)


def _answers_from_arrays(response_id: str, source: str = "") -> str:
    """PostgreSQL: the answers as four arrays, one statement text whatever their number,
    which each connection prepares once (app/database.py). A VALUES list of n rows is a
    text of 5n parameters that changes with n; unprepared, the four arrays cost the server
    about 0.45 ms where 20 rows' VALUES cost 0.55-0.75 (measured). Rows are written in the
    order given. `response_id` and `source` are this module's own SQL."""
    return f"""
    INSERT INTO team_answers (response_id, dimension_key, rating, confidence, comment)
    SELECT {response_id}, given.key, given.rating, given.confidence, given.comment
    FROM {source}unnest(CAST(:keys AS varchar[]), CAST(:ratings AS integer[]),
                CAST(:confidences AS integer[]), CAST(:comments AS text[]))
        WITH ORDINALITY AS given(key, rating, confidence, comment, position)
    ORDER BY given.position
    """  # noqa: S608  # nosec B608


_INSERT_ANSWERS_PG = prepared(text(_answers_from_arrays(":response_id")))
_EVENT_COLUMNS = [column.name for column in AuditEvent.__table__.columns if column.name != "id"]
# PostgreSQL: a member's first save in one statement, the response row with its answers,
# choices and audit event (each a round trip and a statement to parse and plan apart, on
# every first submit: fifty members submitting at once are fifty of them). When the
# response row is not written (a concurrent request of the member committed one first),
# `response` is empty and so is every INSERT that selects from it.
_FIRST_RESPONSE_PG = prepared(
    text(
        f"""
    WITH response AS (
        INSERT INTO team_responses
            (review_id, user_id, status, complexity, consent_named, updated_at, submitted_at)
        VALUES (:review_id, :user_id, :status, :complexity, :consent_named, :updated_at,
                :submitted_at)
        ON CONFLICT (review_id, user_id) DO NOTHING
        RETURNING id
    ), answers AS ({_answers_from_arrays("response.id", "response, ")}
    ), choices AS (
        INSERT INTO category_choices (response_id, category_key, evidence)
        SELECT response.id, chosen.key, chosen.evidence
        FROM response, unnest(CAST(:category_keys AS varchar[]), CAST(:evidences AS text[]))
            WITH ORDINALITY AS chosen(key, evidence, position)
        ORDER BY chosen.position
    ), event AS (
        INSERT INTO audit_events ({", ".join(_EVENT_COLUMNS)})
        SELECT {", ".join(f":event_{name}" for name in _EVENT_COLUMNS)} FROM response
    )
    SELECT id FROM response
    """  # noqa: S608  # nosec B608
    ).bindparams(
        *(
            bindparam(name, type_=UTCDateTime())
            for name in ("updated_at", "submitted_at", "event_at")
        )
    )
)


def write_first_response(
    review: Review, user_id: int, fields: dict, given: ResponseInput, event: dict
) -> int | None:
    """The member's first response row, written whole (a first submit needs no UPDATE) with
    its answers, choices and audit `event` (audit.event_row); or None, and nothing written,
    when a concurrent request of the same member committed a row first: the unique
    constraint decides (`ON CONFLICT DO NOTHING`), never a 500 for the loser."""
    if db.session.get_bind().dialect.name == "postgresql":
        choices = _choices(given)
        return _connection().scalar(
            _FIRST_RESPONSE_PG,
            {
                "review_id": review.id,
                "user_id": user_id,
                "submitted_at": None,
                **fields,
                **_answer_arrays(given),
                "category_keys": list(choices),
                "evidences": list(choices.values()),
                **{f"event_{name}": value for name, value in event.items()},
            },
        )
    response_id = _connection().scalar(
        _INSERT_RESPONSE_SQLITE, {"review_id": review.id, "user_id": user_id, **fields}
    )
    if response_id is not None:
        write_answers(response_id, True, given)
        audit.write(event)
    return response_id


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
        {"response_id": response_id, "category_key": key, "evidence": evidence}
        for key, evidence in _choices(given).items()
    ]
    # A list of parameter sets with RETURNING: SQLAlchemy sends it as one multi-row
    # `INSERT ... VALUES (...), (...)` ("insertmanyvalues"). Without RETURNING, psycopg
    # would pipeline one INSERT per row: as many statements for the server to run.
    if choices:
        _connection().execute(_INSERT_CHOICES, choices)


def _choices(given: ResponseInput) -> dict[str, str]:
    return {key: evidence.strip() for key, evidence in given.choices.items()}


def _answer_arrays(given: ResponseInput) -> dict[str, list]:
    answers = given.answers.values()
    return {
        "keys": list(given.answers),
        "ratings": [answer.rating for answer in answers],
        "confidences": [answer.confidence for answer in answers],
        "comments": [answer.comment.strip() for answer in answers],
    }


def _insert_answers(response_id: int, given: ResponseInput) -> None:
    if db.session.get_bind().dialect.name == "postgresql":
        _connection().execute(
            _INSERT_ANSWERS_PG, {"response_id": response_id, **_answer_arrays(given)}
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
        for key, answer in given.answers.items()
    ]
    _connection().execute(_INSERT_ANSWERS, rows)


def _connection():
    """The session's connection, in its transaction. Every statement here is a plain table
    statement that returns rows or ids, never entities, and nothing is pending in the
    session when `save_response` sends them: going past the ORM's statement handling (and
    its autoflush) saves about a third of a millisecond a statement."""
    return db.session.connection()
