"""The answers a decided review rested on, read back in bulk for `verify-archive`.

A decision's record seals a digest of the review's raw answer rows; this module reads the
rows of a thousand reviews at a time as plain tuples and tells whether each review's rows
still have that digest. `raw_answer_rows` and `answers_digest` decide every doubt.
"""

from __future__ import annotations

import hashlib
import json
from types import SimpleNamespace

from sqlalchemy import bindparam, select

from app.domain.record import answers_digest
from app.domain.snapshot import canonical_json
from app.extensions import db
from app.models import (
    CategoryChoiceRow,
    ClientAnswerRow,
    ClientResponseRow,
    TeamAnswerRow,
    TeamResponseRow,
)
from app.services.review_data import raw_answer_rows
from app.services.review_rows import ANSWER_COLUMNS


def read_rows(query, parameters: dict | None = None):
    """Plain rows through the session's connection: its transaction, without the ORM's
    result machinery (which doubled the cost of reading millions of answer rows)."""
    return db.session.connection().execute(query, parameters)


# A batch's rows, five statements built once (building them cost about as much as running
# them for one small review, on every decided review's page): `ids` lists the reviews.
_IDS = bindparam("ids", expanding=True)
_IN_REVIEWS = TeamResponseRow.review_id.in_(_IDS)
_IN_CLIENTS = ClientResponseRow.review_id.in_(_IDS)
_RESPONSES = select(
    TeamResponseRow.review_id,
    TeamResponseRow.id,
    TeamResponseRow.user_id,
    TeamResponseRow.status,
    TeamResponseRow.complexity,
    TeamResponseRow.consent_named,
).where(_IN_REVIEWS)
_ANSWERS = (
    select(*ANSWER_COLUMNS)
    .join(TeamResponseRow, TeamAnswerRow.response_id == TeamResponseRow.id)
    .where(_IN_REVIEWS)
)
_CHOICES = (
    select(
        CategoryChoiceRow.response_id,
        CategoryChoiceRow.category_key,
        CategoryChoiceRow.evidence,
    )
    .join(TeamResponseRow, CategoryChoiceRow.response_id == TeamResponseRow.id)
    .where(_IN_REVIEWS)
)
_CLIENTS = select(
    ClientResponseRow.review_id,
    ClientResponseRow.id,
    ClientResponseRow.source,
    ClientResponseRow.source_quote,
    ClientResponseRow.comment,
    ClientResponseRow.recorded_by_id,
).where(_IN_CLIENTS)
_CLIENT_ANSWERS = (
    select(
        ClientAnswerRow.client_response_id,
        ClientAnswerRow.dimension_key,
        ClientAnswerRow.rating,
        ClientAnswerRow.comment,
    )
    .join(ClientResponseRow, ClientAnswerRow.client_response_id == ClientResponseRow.id)
    .where(_IN_CLIENTS)
)


# canonical_json's settings (app/domain/snapshot.py), made once.
_ENCODER = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
)


class StoredAnswers:
    """The stored answers of a batch of reviews, team and client, read as plain tuples by
    five queries. `match` says whether a review's answers still have the digest its record
    sealed: whether `answers_digest(raw_answer_rows(review))` (app/services/review_data.py)
    equals it.

    Why not just call that: 100,000 reviews of five members and a client hold some nine
    million answer rows. As ORM objects, or any objects `raw_answer_rows` reads attributes
    from, they cost several times their reading (and the garbage collector, tracking each,
    rescanned them all again and again); and `canonical_json` walks every value in Python.
    So `match` first builds the same rows from the tuples and writes them with
    canonical_json's settings: they hold only text, whole numbers, booleans and None,
    whose JSON is already canonical, so each row's JSON is its canonical text and the
    list's is those texts, sorted, joined. A match there is a match of answers_digest (a
    text equal to a canonical one holds no value canonical_json would write otherwise).
    Anything else (a changed row, a value canonical_json would round, an error) goes to
    `raw_answer_rows` and `answers_digest` themselves, which decide. And a batch of
    several reviews first checks on two of them that both ways build the same rows;
    should `raw_answer_rows` ever change, only its own way is used for the batch (a
    single review, a decision's page, skips the check: a mismatch there falls back alone).
    """

    def __init__(self, review_ids: list[int]) -> None:
        ids = {"ids": review_ids}
        self.responses: dict[int, list[tuple]] = {}  # review id -> responses
        for row in read_rows(_RESPONSES, ids).all():
            self.responses.setdefault(row[0], []).append(tuple(row[1:]))
        self.answers = self._grouped(_ANSWERS, ids)
        self.choices = self._grouped(_CHOICES, ids)
        self.clients: dict[int, tuple] = {  # review id -> the client's response
            row[0]: tuple(row[1:]) for row in read_rows(_CLIENTS, ids).all()
        }
        # No client's view in the batch (one review, decided one-sided): no answers to read.
        self.client_answers = self._grouped(_CLIENT_ANSWERS, ids) if self.clients else {}
        # One review (a decision's page): no sample to check first, which would cost the
        # slow way once for the review itself (a 100-member review's page spent over half
        # its time there). The quick way only ever says yes on the very text the record
        # sealed; any other answer still goes to answers_digest, which decides.
        self.quick = len(review_ids) == 1 or self._quick_rows_agree(review_ids)

    @staticmethod
    def _grouped(query, parameters: dict) -> dict[int, list[tuple]]:
        """Rows of (parent id, *values) as parent id -> [values]: plain tuples of text and
        numbers, which the garbage collector stops tracking."""
        grouped: dict[int, list[tuple]] = {}
        # A few hundred rows at a time: rows all held at once would outlive two collections
        # and make the collector rescan everything, more than once a batch.
        for rows in read_rows(query, parameters).partitions(500):
            for row in rows:
                grouped.setdefault(row[0], []).append(row[1:])
        return grouped

    def match(self, review_id: int, sealed: str) -> bool:
        """Do the review's stored answers have the digest its record sealed?"""
        if self.quick:
            try:
                texts = sorted(_ENCODER.encode(row) for row in self._quick_rows(review_id))
            except (TypeError, ValueError):
                texts = None
            if texts is not None:
                joined = "[" + ",".join(texts) + "]"
                if hashlib.sha256(joined.encode("utf-8")).hexdigest() == sealed:
                    return True
        return answers_digest(self._raw_rows(review_id)) == sealed

    def _quick_rows(self, review_id: int) -> list[dict]:
        """`raw_answer_rows`'s rows, from the tuples (a tuple is written as a JSON list and
        sorts as the list would)."""
        rows: list[dict] = [
            {
                "team": user_id,
                "status": status,
                "complexity": complexity,
                "named": bool(named),
                "answers": sorted(self.answers.get(response_id, ())),
                "choices": sorted(self.choices.get(response_id, ())),
            }
            for response_id, user_id, status, complexity, named in self.responses.get(review_id, ())
        ]
        client = self.clients.get(review_id)
        if client is not None:
            client_id, source, quote, comment, recorded_by = client
            rows.append(
                {
                    "client": source,
                    "quote": quote,
                    "comment": comment,
                    "recorded_by": recorded_by,
                    "answers": sorted(self.client_answers.get(client_id, ())),
                }
            )
        return rows

    def _raw_rows(self, review_id: int) -> list[dict]:
        """`raw_answer_rows` itself, given the review's answers as the objects it reads."""
        review = SimpleNamespace(
            responses=[
                SimpleNamespace(
                    user_id=user_id,
                    status=status,
                    complexity=complexity,
                    consent_named=named,
                    answers=[
                        SimpleNamespace(dimension_key=d, rating=r, confidence=c, comment=t)
                        for d, r, c, t in self.answers.get(response_id, ())
                    ],
                    choices=[
                        SimpleNamespace(category_key=k, evidence=e)
                        for k, e in self.choices.get(response_id, ())
                    ],
                )
                for response_id, user_id, status, complexity, named in self.responses.get(
                    review_id, ()
                )
            ]
        )
        client = self.clients.get(review_id)
        if client is not None:
            client_id, source, quote, comment, recorded_by = client
            client = SimpleNamespace(
                source=source,
                source_quote=quote,
                comment=comment,
                recorded_by_id=recorded_by,
                answers=[
                    SimpleNamespace(dimension_key=d, rating=r, comment=t)
                    for d, r, t in self.client_answers.get(client_id, ())
                ],
            )
        return raw_answer_rows(review, client)

    def _quick_rows_agree(self, review_ids: list[int]) -> bool:
        """Do both ways build the same rows for this batch's first review with a client
        view and its first without? Should `raw_answer_rows` ever change, the quick way
        is then left alone instead of checking something else."""
        samples = {}
        for review_id in review_ids:
            samples.setdefault(review_id in self.clients, review_id)
        try:
            return all(
                canonical_json(self._quick_rows(review_id))
                == canonical_json(self._raw_rows(review_id))
                for review_id in samples.values()
            )
        except (TypeError, ValueError):
            return False
