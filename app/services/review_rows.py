"""A review's submitted answers read as plain tuples, in three statements whatever the
team's size. The comparison reads thousands of answer rows (100 members x 50 questions is
5,000); building an ORM object for each cost more than everything else on the page.

The statements run on the session's connection, not through the session: they read
columns, never entities, and the ORM's result layer only added a cost per row. The
answers are ordered by the response row's id (equal to the answer's `response_id`), which
SQLite reads straight off its review index instead of sorting 5,000 rows again."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.domain.scoring import CategoryChoice, TeamAnswer
from app.extensions import db
from app.models import (
    CategoryChoiceRow,
    ReviewParticipant,
    TeamAnswerRow,
    TeamResponseRow,
    User,
)

# An answer row as plain values: its response, then what the answer says.
ANSWER_COLUMNS = (
    TeamAnswerRow.response_id,
    TeamAnswerRow.dimension_key,
    TeamAnswerRow.rating,
    TeamAnswerRow.confidence,
    TeamAnswerRow.comment,
)


@dataclass(frozen=True)
class SubmittedRow:
    """One member's submitted response: who (label, name, consent) and what they answered."""

    response_id: int
    user_id: int
    label: str
    name: str
    complexity: int | None
    consent_named: bool
    answers: tuple[TeamAnswer, ...]
    choices: tuple[CategoryChoice, ...]


def submitted_rows(review_id: int) -> list[SubmittedRow]:
    """The review's submitted responses in the order they were first saved."""
    submitted = (TeamResponseRow.review_id == review_id) & (TeamResponseRow.status == "submitted")
    db.session.flush()  # as session.execute would: rows this session changed are read as changed
    connection = db.session.connection()
    heads = connection.execute(
        select(
            TeamResponseRow.id,
            TeamResponseRow.user_id,
            ReviewParticipant.label,
            User.name,
            TeamResponseRow.complexity,
            TeamResponseRow.consent_named,
        )
        .join(
            ReviewParticipant,
            (ReviewParticipant.review_id == TeamResponseRow.review_id)
            & (ReviewParticipant.user_id == TeamResponseRow.user_id),
        )
        .join(User, User.id == TeamResponseRow.user_id)
        .where(submitted)
        .order_by(TeamResponseRow.id)
    ).all()
    answers: dict[int, list[TeamAnswer]] = {head[0]: [] for head in heads}
    choices: dict[int, list[CategoryChoice]] = {head[0]: [] for head in heads}
    # Answers equal in every field are one frozen instance: a big review has about a
    # thousand different ones among 5,000, and a lookup costs less than a construction.
    made: dict[tuple, TeamAnswer] = {}
    for row in connection.execute(
        select(*ANSWER_COLUMNS)
        .join(TeamResponseRow, TeamResponseRow.id == TeamAnswerRow.response_id)
        .where(submitted)
        .order_by(TeamResponseRow.id, TeamAnswerRow.id)
    ).all():
        fields = row[1:]  # key, rating, confidence, comment
        answer = made.get(fields)
        if answer is None:
            answer = made[fields] = TeamAnswer(*fields)
        answers[row[0]].append(answer)
    for response_id, key, evidence in connection.execute(
        select(
            CategoryChoiceRow.response_id,
            CategoryChoiceRow.category_key,
            CategoryChoiceRow.evidence,
        )
        .join(TeamResponseRow, TeamResponseRow.id == CategoryChoiceRow.response_id)
        .where(submitted)
        .order_by(TeamResponseRow.id, CategoryChoiceRow.id)
    ):
        choices[response_id].append(CategoryChoice(key, evidence))
    return [
        SubmittedRow(
            response_id=response_id,
            user_id=user_id,
            label=label,
            name=name,
            complexity=complexity,
            consent_named=bool(consent),
            answers=tuple(answers[response_id]),
            choices=tuple(choices[response_id]),
        )
        for response_id, user_id, label, name, complexity, consent in heads
    ]
