"""Review data in, per-dimension statistics, gaps, overconfidence flags and votes out.

Nothing is rounded here; presentation rounds. Every result is independent of the
order in which responses arrive: values are sorted before they are summarised and
outputs follow catalogue order, then respondent label.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from app.domain.catalogue import COMPLEXITY_SCALE, CONFIDENCE_RANGE, SCALE, Catalogue
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
from app.domain.thresholds import Thresholds

TEAM = "team"
"""The `who` of an overconfidence flag raised on the team mean rather than on one member."""

# Float means and thresholds such as 4/3 - 0.2 * 2 are not exact; without a tolerance a
# gap that equals its threshold on paper could land on either side of it.
TOLERANCE = 1e-9


# --- inputs ------------------------------------------------------------------------


@dataclass(frozen=True)
class TeamAnswer:
    dimension_key: str
    rating: int
    confidence: int
    comment: str = ""


@dataclass(frozen=True)
class CategoryChoice:
    category_key: str
    evidence: str


@dataclass(frozen=True)
class TeamResponse:
    """One member's submitted answers; `respondent` is an opaque label such as "Member A"."""

    respondent: str
    complexity: int
    answers: tuple[TeamAnswer, ...]
    choices: tuple[CategoryChoice, ...] = ()


@dataclass(frozen=True)
class ClientView:
    """The client's ratings by dimension key; a missing key means the client skipped it."""

    ratings: Mapping[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # A private copy, so a caller mutating its dict cannot change a frozen view.
        object.__setattr__(self, "ratings", dict(self.ratings))


@dataclass(frozen=True)
class ReviewData:
    catalogue: Catalogue
    team: tuple[TeamResponse, ...]
    client: ClientView | None
    quorum: int
    waiver_reason: str | None = None
    complexity_floor: int = 3
    """The review's complexity level, set by the lead before any answer (see thresholds)."""

    @property
    def waived(self) -> bool:
        """True when there is no client view and a non-blank reason for deciding without it."""
        return self.client is None and bool(self.waiver_reason and self.waiver_reason.strip())


# --- outputs -----------------------------------------------------------------------


@dataclass(frozen=True)
class DimensionStats:
    """Team figures on one dimension. team_stdev is the sample standard deviation (n - 1),
    because the respondents are a sample of everyone who could have judged the work;
    it is 0.0 when only one member rated the dimension."""

    dimension_key: str
    n: int
    team_mean: float
    team_median: float
    team_min: int
    team_max: int
    team_stdev: float
    client_rating: int | None
    gap: float | None
    mean_confidence: float
    team_flagged: bool
    flagged_members: tuple[str, ...]


@dataclass(frozen=True)
class OverconfidenceFlag:
    """High self-rating, high confidence, and a client lower by at least the gap threshold."""

    dimension_key: str
    who: str
    rating_or_mean: float
    client_rating: int
    gap: float
    confidence: float


@dataclass(frozen=True)
class ReviewScores:
    """Figures for a whole review. `dimensions` lists, in catalogue order, every dimension
    that at least one member rated."""

    complexity_median: float
    gap_threshold: float
    confidence_threshold: float
    dimensions: tuple[DimensionStats, ...]
    flags: tuple[OverconfidenceFlag, ...]
    votes: Mapping[str, int]
    respondents: int

    def stats_for(self, dimension_key: str) -> DimensionStats | None:
        for stats in self.dimensions:
            if stats.dimension_key == dimension_key:
                return stats
        return None


# --- validation --------------------------------------------------------------------


def _is_whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_rating(value: object, where: str) -> None:
    if not (_is_whole(value) and SCALE[0] <= value <= SCALE[-1]):
        raise RatingOutOfRange(
            f"{where}: a rating must be a whole number from {SCALE[0]} to {SCALE[-1]}, "
            f"not {value!r}."
        )


def validate_review_data(data: ReviewData) -> None:
    """Raise the specific domain error for the first rule the data breaks."""
    catalogue = data.catalogue
    if not _is_whole(data.quorum) or data.quorum < 1:
        raise QuorumOutOfRange(
            f"A review's quorum must be at least 1 respondent, not {data.quorum!r}."
        )
    if not data.team:
        raise EmptyReviewData(
            "No team member has submitted answers yet, so there is nothing to score."
        )
    seen_respondents: set[str] = set()
    low_conf, high_conf = CONFIDENCE_RANGE
    for response in data.team:
        label = response.respondent
        if not isinstance(label, str) or not label.strip():
            raise MissingRespondentLabel(
                "Every response needs a respondent label, such as 'Member A'."
            )
        if label.strip().lower() == TEAM:
            raise ReservedRespondentLabel(
                f"'{label}' cannot label a member: it names the whole team."
            )
        if label in seen_respondents:
            raise DuplicateRespondent(
                f"Two responses are labelled '{label}'; each member answers once."
            )
        seen_respondents.add(label)
        if not (
            _is_whole(response.complexity)
            and COMPLEXITY_SCALE[0] <= response.complexity <= COMPLEXITY_SCALE[-1]
        ):
            raise ComplexityOutOfRange(
                f"{label}: complexity must be a whole number from {COMPLEXITY_SCALE[0]} "
                f"to {COMPLEXITY_SCALE[-1]}, not {response.complexity!r}."
            )
        answered: set[str] = set()
        for answer in response.answers:
            catalogue.dimension(answer.dimension_key)  # raises UnknownDimension
            if answer.dimension_key in answered:
                raise DuplicateAnswer(f"{label} answered dimension '{answer.dimension_key}' twice.")
            answered.add(answer.dimension_key)
            _check_rating(answer.rating, f"{label} on '{answer.dimension_key}'")
            if not (_is_whole(answer.confidence) and low_conf <= answer.confidence <= high_conf):
                raise ConfidenceOutOfRange(
                    f"{label} on '{answer.dimension_key}': confidence must be a whole percentage "
                    f"from {low_conf} to {high_conf}, not {answer.confidence!r}."
                )
        for choice in response.choices:
            catalogue.category(choice.category_key)  # raises UnknownCategory
    if data.client is not None:
        for key, rating in data.client.ratings.items():
            catalogue.dimension(key)
            _check_rating(rating, f"The client on '{key}'")


# --- scoring -----------------------------------------------------------------------


def complexity_median(team: Iterable[TeamResponse]) -> float:
    complexities = sorted(response.complexity for response in team)
    if not complexities:
        raise EmptyReviewData(
            "No team member has submitted answers yet, so there is no complexity."
        )
    return float(statistics.median(complexities))


def category_votes(
    team: Iterable[TeamResponse], catalogue: Catalogue | None = None
) -> dict[str, int]:
    """Respondents choosing each category; a member counts at most once per category.

    With a catalogue every category is present (0 when nobody chose it), in catalogue
    order; without one only chosen categories appear, sorted by key.
    """
    counts: dict[str, int] = dict.fromkeys(catalogue.category_keys, 0) if catalogue else {}
    for response in team:
        for key in {choice.category_key for choice in response.choices}:
            counts[key] = counts.get(key, 0) + 1
    if catalogue is None:
        return dict(sorted(counts.items()))
    return counts


def ratings_by_respondent(team: Iterable[TeamResponse]) -> dict[str, dict[str, int]]:
    """{respondent: {dimension_key: rating}}, sorted by respondent label."""
    return {
        response.respondent: {answer.dimension_key: answer.rating for answer in response.answers}
        for response in sorted(team, key=lambda response: response.respondent)
    }


def score_review(data: ReviewData, thresholds: Thresholds) -> ReviewScores:
    validate_review_data(data)
    team = tuple(sorted(data.team, key=lambda response: response.respondent))
    median_complexity = complexity_median(team)
    gap_limit = thresholds.gap_threshold(median_complexity)
    confidence_limit = thresholds.confidence_threshold(median_complexity)
    client_ratings = data.client.ratings if data.client is not None else {}

    all_stats: list[DimensionStats] = []
    all_flags: list[OverconfidenceFlag] = []
    for dimension_key in data.catalogue.dimension_keys:
        answers = [
            (response.respondent, answer)
            for response in team
            for answer in response.answers
            if answer.dimension_key == dimension_key
        ]
        if not answers:
            continue
        stats, flags = _dimension_stats(
            dimension_key, answers, client_ratings.get(dimension_key), gap_limit, confidence_limit
        )
        all_stats.append(stats)
        all_flags.extend(flags)

    return ReviewScores(
        complexity_median=median_complexity,
        gap_threshold=gap_limit,
        confidence_threshold=confidence_limit,
        dimensions=tuple(all_stats),
        flags=tuple(all_flags),
        votes=category_votes(team, data.catalogue),
        respondents=len(team),
    )


def is_overconfident(
    gap: float, confidence: float, gap_limit: float, confidence_limit: float
) -> bool:
    return gap >= gap_limit - TOLERANCE and confidence >= confidence_limit - TOLERANCE


def _dimension_stats(
    dimension_key: str,
    answers: Sequence[tuple[str, TeamAnswer]],
    client_rating: int | None,
    gap_limit: float,
    confidence_limit: float,
) -> tuple[DimensionStats, list[OverconfidenceFlag]]:
    ratings = sorted(answer.rating for _, answer in answers)
    confidences = sorted(answer.confidence for _, answer in answers)
    n = len(ratings)
    team_mean = sum(ratings) / n
    mean_confidence = sum(confidences) / n
    flags: list[OverconfidenceFlag] = []
    gap = None
    team_flagged = False
    if client_rating is not None:
        gap = team_mean - client_rating
        team_flagged = is_overconfident(gap, mean_confidence, gap_limit, confidence_limit)
        if team_flagged:
            flags.append(
                OverconfidenceFlag(
                    dimension_key, TEAM, team_mean, client_rating, gap, mean_confidence
                )
            )
        for respondent, answer in answers:  # already in respondent order
            member_gap = float(answer.rating - client_rating)
            if is_overconfident(member_gap, answer.confidence, gap_limit, confidence_limit):
                flags.append(
                    OverconfidenceFlag(
                        dimension_key,
                        respondent,
                        float(answer.rating),
                        client_rating,
                        member_gap,
                        float(answer.confidence),
                    )
                )
    stats = DimensionStats(
        dimension_key=dimension_key,
        n=n,
        team_mean=team_mean,
        team_median=float(statistics.median(ratings)),
        team_min=ratings[0],
        team_max=ratings[-1],
        team_stdev=statistics.stdev(ratings) if n > 1 else 0.0,
        client_rating=client_rating,
        gap=gap,
        mean_confidence=mean_confidence,
        team_flagged=team_flagged,
        flagged_members=tuple(flag.who for flag in flags if flag.who != TEAM),
    )
    return stats, flags
