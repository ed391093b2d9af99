"""Turn stored rows into the domain's ReviewData, and the domain's results into what a
viewer may see. Every page that shows results goes through `results_for()`, which asks
the domain's lifecycle whether results may be seen at all."""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.catalogue import Catalogue
from app.domain.lifecycle import may_see_results
from app.domain.scoring import (
    CategoryChoice,
    ClientView,
    ReviewData,
    ReviewScores,
    TeamAnswer,
    TeamResponse,
    score_review,
)
from app.domain.verdict import Verdict, evaluate_all
from app.extensions import db
from app.models import ClientResponseRow, Review, TeamResponseRow
from app.services.catalogue import catalogue_of
from app.services.errors import Forbidden, TooFewRespondents
from app.services.thresholds import current_thresholds


@dataclass(frozen=True)
class ReviewResults:
    catalogue: Catalogue
    data: ReviewData
    scores: ReviewScores
    verdicts: tuple[Verdict, ...]  # only categories that received at least one vote
    client_response: ClientResponseRow | None
    named_participants: tuple[str, ...]  # members who agreed to be named
    # category key -> [(name or None, evidence)]: a name only where the member agreed
    evidence: dict[str, list[tuple[str | None, str]]]


def submitted_responses(review: Review) -> list[TeamResponseRow]:
    return [r for r in review.responses if r.status == "submitted"]


def client_response_of(review: Review) -> ClientResponseRow | None:
    return db.session.query(ClientResponseRow).filter_by(review_id=review.id).one_or_none()


def review_data_for(review: Review, waiver_reason: str | None = None) -> ReviewData:
    labels = {p.user_id: p.label for p in review.participants}
    team = tuple(
        TeamResponse(
            respondent=labels[row.user_id],
            complexity=row.complexity,
            answers=tuple(
                TeamAnswer(a.dimension_key, a.rating, a.confidence, a.comment) for a in row.answers
            ),
            choices=tuple(CategoryChoice(c.category_key, c.evidence) for c in row.choices),
        )
        for row in submitted_responses(review)
    )
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


def _evidence(review: Review) -> dict[str, list[tuple[str | None, str]]]:
    by_category: dict[str, list[tuple[str | None, str]]] = {}
    for row in submitted_responses(review):
        name = row.user.name if row.consent_named else None
        for choice in row.choices:
            by_category.setdefault(choice.category_key, []).append((name, choice.evidence))
    # Sorted by text, so the order says nothing about who answered first.
    return {key: sorted(items, key=lambda item: item[1]) for key, items in by_category.items()}


def results_for(review: Review, waiver_reason: str | None = None) -> ReviewResults:
    """The comparison of a closed review. Refuses while the review is open: before close
    nobody, the lead included, sees answers or aggregates."""
    if not may_see_results(review.state):
        raise Forbidden("Results are hidden until the lead closes the review.")
    thresholds = current_thresholds()
    respondents = len(submitted_responses(review))
    if respondents < thresholds.min_respondents:
        # Below the minimum, any aggregate shows one member's answers: no results at all.
        raise TooFewRespondents(respondents, thresholds.min_respondents)
    data = review_data_for(review, waiver_reason)
    scores = score_review(data, thresholds)
    voted = [key for key in data.catalogue.category_keys if scores.votes.get(key, 0) > 0]
    verdicts = evaluate_all(data, thresholds, voted) if voted else ()
    named = tuple(sorted(r.user.name for r in submitted_responses(review) if r.consent_named))
    return ReviewResults(
        evidence=_evidence(review),
        catalogue=data.catalogue,
        data=data,
        scores=scores,
        verdicts=verdicts,
        client_response=client_response_of(review),
        named_participants=named,
    )
