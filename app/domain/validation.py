"""Review data that breaks the survey's rules is refused before anything is scored.

Each error names what broke with a code and parameters (app/domain/errors.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.domain.catalogue import COMPLEXITY_SCALE, CONFIDENCE_RANGE, SCALE
from app.domain.errors import (
    ComplexityOutOfRange,
    ConfidenceOutOfRange,
    DuplicateAnswer,
    DuplicateRespondent,
    EmptyReviewData,
    MissingRespondentLabel,
    QuorumOutOfRange,
    RatingOutOfRange,
    ReservedRespondentLabel,
)

if TYPE_CHECKING:
    from app.domain.scoring import ReviewData

TEAM = "team"
"""Reserved: no member may be labelled "team", so a label never reads as the whole team."""


def _is_whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_rating(value: object, who: str, dimension: str) -> None:
    if not (_is_whole(value) and SCALE[0] <= value <= SCALE[-1]):
        raise RatingOutOfRange(
            who=who,
            dimension=dimension,
            value=value,
        )


def _check_complexity(value: object, who: str | None) -> None:
    """A member's complexity rating (who: their label) or the review's level (who: None)."""
    low, high = COMPLEXITY_SCALE[0], COMPLEXITY_SCALE[-1]
    if not (_is_whole(value) and low <= value <= high):
        raise ComplexityOutOfRange(
            who=who,
            value=value,
        )


def validate_review_data(data: ReviewData) -> None:
    """Raise the specific domain error for the first rule the data breaks."""
    catalogue = data.catalogue
    if not _is_whole(data.quorum) or data.quorum < 1:
        raise QuorumOutOfRange(
            value=data.quorum,
        )
    _check_complexity(data.complexity_floor, None)
    if not data.team:
        raise EmptyReviewData()
    seen_respondents: set[str] = set()
    low_conf, high_conf = CONFIDENCE_RANGE
    for response in data.team:
        label = response.respondent
        if not isinstance(label, str) or not label.strip():
            raise MissingRespondentLabel(who=label)
        if label.strip().lower() == TEAM:
            raise ReservedRespondentLabel(who=label)
        if label in seen_respondents:
            raise DuplicateRespondent(who=label)
        seen_respondents.add(label)
        _check_complexity(response.complexity, label)
        answered: set[str] = set()
        for answer in response.answers:
            catalogue.dimension(answer.dimension_key)  # raises UnknownDimension
            if answer.dimension_key in answered:
                raise DuplicateAnswer(
                    who=label,
                    dimension=answer.dimension_key,
                )
            answered.add(answer.dimension_key)
            _check_rating(answer.rating, label, answer.dimension_key)
            if not (_is_whole(answer.confidence) and low_conf <= answer.confidence <= high_conf):
                raise ConfidenceOutOfRange(
                    who=label,
                    dimension=answer.dimension_key,
                    value=answer.confidence,
                )
        for choice in response.choices:
            catalogue.category(choice.category_key)  # raises UnknownCategory
    if data.client is not None:
        for key, rating in data.client.ratings.items():
            catalogue.dimension(key)
            _check_rating(rating, "client", key)
