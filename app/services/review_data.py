"""Turn stored rows into the domain's ReviewData, and the domain's results into what a
viewer may see. Every page that shows results goes through `results_for()`, which asks
the domain's lifecycle whether results may be seen at all."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app.domain.catalogue import Catalogue
from app.domain.lifecycle import ReviewState, may_see_results
from app.domain.record import (
    review_data_of,
    scores_of_record,
    thresholds_of_record,
    verdicts_of_record,
)
from app.domain.scoring import (
    ClientView,
    ReviewData,
    ReviewScores,
    TeamResponse,
    score_review,
)
from app.domain.thresholds import Thresholds
from app.domain.verdict import Verdict, evaluate_all
from app.extensions import db
from app.models import ClientResponseRow, Decision, Review, TeamResponseRow
from app.services.answers_text import sqlite_answers_match
from app.services.catalogue import catalogue_of, for_reader
from app.services.errors import Forbidden, TooFewRespondents
from app.services.records import is_sealed, record_of
from app.services.review_rows import SubmittedRow, submitted_rows
from app.services.row_versions import closed_rows_version, decided_rows_version
from app.services.shared_store import shared_store
from app.services.thresholds import current_thresholds
from app.services.unchanged_database import while_unchanged


@dataclass(frozen=True)
class ClientComment:
    dimension_key: str
    comment: str


@dataclass(frozen=True)
class ClientWords:
    """The client's view as pages show it: where it came from and the client's own words."""

    source: str  # "link": the client through its private link; "lead": recorded by a person
    submitted_at: datetime | None
    recorded_by: str | None  # the recorder's name, for a recorded view
    quote: str  # the client's own words the recorder quoted ("" for the link)
    comment: str
    answers: tuple[ClientComment, ...]

    def to_dict(self) -> dict:
        return {
            "source": self.source,
            "submitted_at": self.submitted_at.isoformat() if self.submitted_at else None,
            "recorded_by": self.recorded_by,
            "quote": self.quote,
            "comment": self.comment,
            "answers": {a.dimension_key: a.comment for a in self.answers},
        }

    @classmethod
    def from_dict(cls, stored: dict) -> ClientWords:
        moment = stored.get("submitted_at")
        return cls(
            source=stored["source"],
            submitted_at=datetime.fromisoformat(moment) if moment else None,
            recorded_by=stored.get("recorded_by"),
            quote=stored.get("quote") or "",
            comment=stored.get("comment") or "",
            answers=tuple(ClientComment(k, v) for k, v in (stored.get("answers") or {}).items()),
        )


@dataclass(frozen=True)
class ReviewResults:
    catalogue: Catalogue
    # None for results read from storage (app/services/stored_results.py), which keep no
    # answers: whatever draws each answer (charts, the graphs page, a decision) reads
    # them through `results_for`.
    data: ReviewData | None
    scores: ReviewScores
    verdicts: tuple[Verdict, ...]  # only categories that received at least one vote
    client_response: ClientWords | None
    named_participants: tuple[str, ...]  # members who agreed to be named
    # category key -> [(name or None, evidence)]: a name only where the member agreed
    evidence: dict[str, list[tuple[str | None, str]]]
    # dimension key -> members' comments, sorted by text so the order names nobody
    comments: dict[str, list[str]]
    thresholds: Thresholds
    has_client: bool  # whether the client's view is there
    quorum: int
    # Set for a decided review, whose pages are drawn from its sealed record: whether the
    # answer rows still say what the record sealed.
    frozen: bool = False
    rows_changed: bool = False
    answers_digest: str = ""  # the digest the record sealed (a decided review's)
    # What the rows held when read, where it can be told (row_versions.py): for a decided
    # review what the check above was made against; for a closed one what its page is
    # kept under.
    rows_version: str | None = None
    decision_id: int | None = None  # a decided review's, drawn from its record


def submitted_responses(review: Review) -> list[TeamResponseRow]:
    return [r for r in review.responses if r.status == "submitted"]


def client_response_of(review: Review) -> ClientResponseRow | None:
    """The client's view with its answers and recorder, in two statements."""
    return db.session.scalar(
        select(ClientResponseRow)
        .where(ClientResponseRow.review_id == review.id)
        .options(selectinload(ClientResponseRow.answers), joinedload(ClientResponseRow.recorded_by))
    )


def review_data_for(
    review: Review,
    waiver_reason: str | None = None,
    client_row: ClientResponseRow | None = ...,
    rows: list[SubmittedRow] | None = None,
) -> ReviewData:
    if rows is None:
        rows = submitted_rows(review.id)
    team = tuple(
        TeamResponse(
            respondent=row.label,
            complexity=row.complexity,
            answers=row.answers,
            choices=row.choices,
        )
        for row in rows
    )
    if client_row is ...:
        client_row = client_response_of(review)
    client = None
    if client_row is not None:
        recorder = client_row.recorded_by
        client = ClientView(
            {a.dimension_key: a.rating for a in client_row.answers},
            source=client_row.source,
            recorded_by=recorder.name if recorder is not None else None,
            quote=client_row.source_quote or None,
        )
    return ReviewData(
        catalogue=catalogue_of(review.catalogue_version),
        team=team,
        client=client,
        quorum=review.quorum,
        waiver_reason=waiver_reason,
        complexity_floor=review.complexity_floor,
    )


def client_words_of(review: Review, row: ClientResponseRow | None = ...) -> ClientWords | None:
    if row is ...:
        row = client_response_of(review)
    if row is None:
        return None
    recorder = row.recorded_by if row.source == "lead" else None
    return ClientWords(
        source=row.source,
        submitted_at=row.submitted_at,
        recorded_by=recorder.name if recorder is not None else None,
        quote=row.source_quote or "",
        comment=row.comment or "",
        answers=tuple(ClientComment(a.dimension_key, a.comment) for a in row.answers if a.comment),
    )


def comments_of(rows: list[SubmittedRow]) -> dict[str, list[str]]:
    by_dimension: dict[str, list[str]] = {}
    for row in rows:
        for answer in row.answers:
            if answer.comment and answer.comment.strip():
                by_dimension.setdefault(answer.dimension_key, []).append(answer.comment)
    return {key: sorted(texts) for key, texts in by_dimension.items()}


def raw_answer_rows(review: Review, client: ClientResponseRow | None = ...) -> list[dict]:
    """Every stored answer of the review, team and client, as plain data for the record's
    digest: any later edit of a row changes the digest. `client` may be passed when the
    caller loaded it already (the archive check, a thousand reviews at a time)."""
    rows: list[dict] = []
    for response in review.responses:
        rows.append(
            {
                "team": response.user_id,
                "status": response.status,
                "complexity": response.complexity,
                "named": bool(response.consent_named),
                "answers": sorted(
                    [a.dimension_key, a.rating, a.confidence, a.comment] for a in response.answers
                ),
                "choices": sorted([c.category_key, c.evidence] for c in response.choices),
            }
        )
    if client is ...:
        client = client_response_of(review)
    if client is not None:
        rows.append(
            {
                "client": client.source,
                "quote": client.source_quote,
                "comment": client.comment,
                "recorded_by": client.recorded_by_id,
                "answers": sorted([a.dimension_key, a.rating, a.comment] for a in client.answers),
            }
        )
    return rows


def evidence_of(rows: list[SubmittedRow]) -> dict[str, list[tuple[str | None, str]]]:
    by_category: dict[str, list[tuple[str | None, str]]] = {}
    for row in rows:
        name = row.name if row.consent_named else None
        for choice in row.choices:
            by_category.setdefault(choice.category_key, []).append((name, choice.evidence))
    # Sorted by text, so the order says nothing about who answered first.
    return {key: sorted(items, key=lambda item: item[1]) for key, items in by_category.items()}


def results_for(review: Review, waiver_reason: str | None = None) -> ReviewResults:
    """The comparison of a closed review. Refuses while the review is open: before close
    nobody, the lead included, sees answers or aggregates."""
    if not may_see_results(review.state):
        raise Forbidden("Results are hidden until the lead closes the review.")
    if review.state == ReviewState.DECIDED:
        return frozen_results(review)
    # A closed review's page is kept under what its rows hold: read first, so the rows
    # read after it are as new or newer.
    version = closed_rows_version(review.id) if review.state == ReviewState.CLOSED else None
    return results_from_rows(review, waiver_reason, current_thresholds(), version)


def results_from_rows(
    review: Review,
    waiver_reason: str | None,
    thresholds: Thresholds,
    rows_version: str | None = None,
) -> ReviewResults:
    rows = submitted_rows(review.id)
    respondents = len(rows)
    if respondents < thresholds.min_respondents:
        # Below the minimum, any aggregate shows one member's answers: no results at all.
        raise TooFewRespondents(respondents, thresholds.min_respondents)
    client_row = client_response_of(review)
    data = review_data_for(review, waiver_reason, client_row, rows)
    scores = score_review(data, thresholds)
    voted = [key for key in data.catalogue.category_keys if scores.votes.get(key, 0) > 0]
    verdicts = evaluate_all(data, thresholds, voted, scores=scores) if voted else ()
    named = tuple(sorted(row.name for row in rows if row.consent_named))
    return ReviewResults(
        evidence=evidence_of(rows),
        comments=comments_of(rows),
        thresholds=thresholds,
        catalogue=data.catalogue,
        data=data,
        scores=scores,
        verdicts=verdicts,
        client_response=client_words_of(review, client_row),
        named_participants=named,
        has_client=data.client is not None,
        quorum=data.quorum,
        rows_version=rows_version,
    )


def frozen_results(review: Review) -> ReviewResults:
    """A decided review, drawn from its sealed record and never from its rows; the rows
    are only compared with the record's digest, so an edit behind the app's back shows."""
    rows_version = decided_rows_version(review.id)  # first: what follows is as new or newer
    decision = db.session.scalar(select(Decision).where(Decision.review_id == review.id))
    if decision is None or not is_sealed(decision):
        return results_from_rows(review, None, current_thresholds())  # decided before schema 2
    results = results_of_record(record_of(decision))
    return replace(
        results,
        rows_changed=not answers_match(review.id, results.answers_digest),
        rows_version=rows_version,
        decision_id=decision.id,
    )


def results_of_record(record: Mapping[str, Any]) -> ReviewResults:
    """What a sealed record says, as results (its answer rows not yet checked against
    it); TooFewRespondents for a decision taken with too few."""
    withheld = record.get("withheld")
    if withheld:
        raise TooFewRespondents(withheld["respondents"], withheld["needed"])
    data = review_data_of(record)
    words = record.get("client_words")
    return ReviewResults(
        catalogue=for_reader(data.catalogue),
        data=data,
        scores=scores_of_record(record),
        verdicts=verdicts_of_record(record),
        client_response=ClientWords.from_dict(words) if words else None,
        named_participants=tuple(record.get("named") or ()),
        evidence={k: [(n, t) for n, t in v] for k, v in (record.get("evidence") or {}).items()},
        comments=dict(record.get("comments") or {}),
        thresholds=thresholds_of_record(record),
        has_client=data.client is not None,
        quorum=data.quorum,
        frozen=True,
        answers_digest=record.get("answers_digest") or "",
    )


def answers_match(review_id: int, sealed: str) -> bool:
    """Whether the review's stored answers still have the digest its record sealed, read
    as tuples in a fixed number of statements (the archive check's own way, which falls
    back to `raw_answer_rows` and `answers_digest` on any doubt).

    On PostgreSQL the outcome is kept in the shared store under the version of the rows
    (app/services/row_versions.py): the same version is the same rows, so the same outcome,
    and any write to them is a new version, read and checked afresh. A decision's archive
    page asks this on every request; at 100 members it was half the page's time.
    SQLite keeps no row versions: there SQLite writes the rows' text itself and Python
    only hashes it (app/services/answers_text.py), and only a text that does not match
    is read and checked the long way; the outcome is kept while nothing at all is written
    to the database (app/services/unchanged_database.py)."""
    from app.services.archive_answers import StoredAnswers  # it imports this module

    version = decided_rows_version(review_id)  # first: the rows read below are as new or newer
    if version is None:
        return while_unchanged(
            ("answers-match", review_id, sealed),
            lambda: (
                sqlite_answers_match(review_id, sealed)
                or StoredAnswers([review_id]).match(review_id, sealed)
            ),
        )
    store = shared_store()
    key = ("answers-match", review_id, version, sealed)
    known = store.get(key)
    if known is not None:
        return known == b"1"
    matched = StoredAnswers([review_id]).match(review_id, sealed)
    store.put(key, b"1" if matched else b"0")
    return matched
