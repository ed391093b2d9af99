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

#: Reserved: no member may be labelled "team", so a label never reads as the whole team.
TEAM = "team"


def _is_whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_rating(value: object, who: str, dimension: str) -> None:
    if not (_is_whole(value) and SCALE[0] <= value <= SCALE[-1]):
        raise RatingOutOfRange(
            who=who,
            dimension=dimension,
            value=value,
        )


def _check_confidence(value: object, who: str, dimension: str) -> None:
    low, high = CONFIDENCE_RANGE
    if not (_is_whole(value) and low <= value <= high):
        raise ConfidenceOutOfRange(
            who=who,
            dimension=dimension,
            value=value,
        )


def _check_complexity(value: object, who: str | None) -> None:
    """A member's complexity rating (who: their label) or the review's level (who: None)."""
    low, high = COMPLEXITY_SCALE[0], COMPLEXITY_SCALE[-1]
    if not (_is_whole(value) and low <= value <= high):
        raise ComplexityOutOfRange(who=who, value=value, low=low, high=high)


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
    low_rating, high_rating = SCALE[0], SCALE[-1]
    known_dimensions = frozenset(catalogue.dimension_keys)
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
            # Checked per answer, thousands per review: the common case (a known key, a
            # plain int in range) is tested inline, anything else by the full checks.
            key, rating, confidence = answer.dimension_key, answer.rating, answer.confidence
            if type(key) is not str or key not in known_dimensions:
                catalogue.dimension(key)  # raises UnknownDimension
            if key in answered:
                raise DuplicateAnswer(
                    who=label,
                    dimension=key,
                )
            answered.add(key)
            if type(rating) is not int or not low_rating <= rating <= high_rating:
                _check_rating(rating, label, key)
            if type(confidence) is not int or not low_conf <= confidence <= high_conf:
                _check_confidence(confidence, label, key)
        for choice in response.choices:
            catalogue.category(choice.category_key)  # raises UnknownCategory
    if data.client is not None:
        for key, rating in data.client.ratings.items():
            catalogue.dimension(key)
            _check_rating(rating, "client", key)
