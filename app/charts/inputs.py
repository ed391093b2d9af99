"""The numbers each chart draws, built once from the domain's results.

The same objects feed the charts and the HTML tables beside them, so a table can
never disagree with its chart. Nothing is rounded here (presentation rounds), and
nothing is recomputed: every figure is copied from ReviewScores / DimensionStats,
except the per-answer points of the confidence chart, whose flag-zone test is the
domain's own `is_overconfident`.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.catalogue import Catalogue
from app.domain.scoring import TOLERANCE, ReviewData, ReviewScores
from app.domain.thresholds import Thresholds
from app.domain.verdict import Verdict


@dataclass(frozen=True)
class DivergenceRow:
    """One dimension: the team's figures, the client's rating and how far apart they are."""

    dimension_key: str
    title: str
    n: int
    team_mean: float
    team_median: float
    team_min: int
    team_max: int
    client_rating: int | None
    gap: float | None
    mean_confidence: float
    team_flagged: bool
    flagged_members: int  # how many members were flagged individually (never who)
    linked_categories: tuple[str, ...]  # names of voted categories this dimension speaks to
    # Sorted; None when drawn from an archived snapshot, or for a page that only words the
    # charts (worded_chart_inputs): no page prints a member's rating.
    member_ratings: tuple[int, ...] | None

    @property
    def linked(self) -> bool:
        return bool(self.linked_categories)


@dataclass(frozen=True)
class DivergenceInput:
    rows: tuple[DivergenceRow, ...]  # catalogue order
    respondents: int
    has_client: bool
    gap_threshold: float
    confidence_threshold: float

    @property
    def flagged_titles(self) -> tuple[str, ...]:
        return tuple(row.title for row in self.rows if row.team_flagged)

    @property
    def client_rated(self) -> int:
        return sum(1 for row in self.rows if row.client_rating is not None)

    @property
    def any_linked(self) -> bool:
        return any(row.linked for row in self.rows)


@dataclass(frozen=True)
class ConfidencePoint:
    """One member's answer on one dimension the client also rated (no member label)."""

    dimension_title: str
    rating: int
    client_rating: int
    gap: int  # member rating minus client rating
    confidence: int
    in_flag_zone: bool


@dataclass(frozen=True)
class ConfidenceInput:
    points: tuple[ConfidencePoint, ...]  # catalogue order, then largest gap and confidence first
    has_client: bool
    gap_threshold: float
    confidence_threshold: float
    # (answers, answers in the flag zone) when the points were not built: a page that only
    # words the chart needs the two counts, not an object per answer.
    counts: tuple[int, int] | None = None

    @property
    def answers(self) -> int:
        return len(self.points) if self.counts is None else self.counts[0]

    @property
    def in_zone(self) -> int:
        if self.counts is not None:
            return self.counts[1]
        return sum(1 for point in self.points if point.in_flag_zone)


@dataclass(frozen=True)
class VoteBar:
    category_key: str
    name: str
    votes: int
    share: float  # votes / respondents
    meets_share: bool


@dataclass(frozen=True)
class VotesInput:
    bars: tuple[VoteBar, ...]  # only categories with at least one vote, catalogue order
    respondents: int
    quorum: int | None  # None when unknown (an old snapshot)
    vote_share: float

    @property
    def required_votes(self) -> float:
        """Where the reference line sits: vote_share x respondents (may be fractional)."""
        return self.vote_share * self.respondents

    @property
    def votes_needed(self) -> int:
        """The fewest whole votes that meet the share (and at least one)."""
        return next(
            (
                n
                for n in range(1, self.respondents + 1)
                if meets_share(n, self.respondents, self.vote_share)
            ),
            self.respondents + 1,
        )


@dataclass(frozen=True)
class ChartInputs:
    divergence: DivergenceInput
    confidence: ConfidenceInput
    votes: VotesInput


def meets_share(votes: int, respondents: int, vote_share: float) -> bool:
    """The vote-share condition of the agreement rule (app/domain/conditions.py)."""
    return votes >= 1 and respondents > 0 and votes / respondents >= vote_share - TOLERANCE


def chart_inputs(
    catalogue: Catalogue,
    data: ReviewData,
    scores: ReviewScores,
    verdicts: tuple[Verdict, ...],
    thresholds: Thresholds,
) -> ChartInputs:
    """What the charts draw, each answer included."""
    has_client = data.client is not None
    return _inputs(catalogue, scores, verdicts, thresholds, has_client, data.quorum, data)


def worded_chart_inputs(
    catalogue: Catalogue,
    scores: ReviewScores,
    verdicts: tuple[Verdict, ...],
    thresholds: Thresholds,
    has_client: bool,
    quorum: int,
) -> ChartInputs:
    """What pages that word the charts and draw none read: the confidence chart's answers
    counted, not listed, and no member's ratings behind a divergence row. No answer is
    read (the 5,000 of a 100 x 50 review), so results stored without them will do
    (app/services/stored_results.py)."""
    return _inputs(catalogue, scores, verdicts, thresholds, has_client, quorum, None)


def _inputs(
    catalogue: Catalogue,
    scores: ReviewScores,
    verdicts: tuple[Verdict, ...],
    thresholds: Thresholds,
    has_client: bool,
    quorum: int,
    data: ReviewData | None,
) -> ChartInputs:
    """`data` None: the inputs `worded_chart_inputs` describes."""
    points = data is not None
    voted = [catalogue.category(verdict.category_key) for verdict in verdicts]
    linked: dict[str, list[str]] = {}
    for category in voted:
        for key in category.dimension_keys:
            linked.setdefault(key, []).append(category.name)
    ratings: dict[str, list[int]] = {}
    for response in data.team if points else ():
        for answer in response.answers:
            ratings.setdefault(answer.dimension_key, []).append(answer.rating)

    rows = tuple(
        DivergenceRow(
            dimension_key=stats.dimension_key,
            title=catalogue.dimension(stats.dimension_key).title,
            n=stats.n,
            team_mean=stats.team_mean,
            team_median=stats.team_median,
            team_min=stats.team_min,
            team_max=stats.team_max,
            client_rating=stats.client_rating,
            gap=stats.gap,
            mean_confidence=stats.mean_confidence,
            team_flagged=stats.team_flagged,
            flagged_members=len(stats.flagged_members),
            linked_categories=tuple(linked.get(stats.dimension_key, ())),
            member_ratings=tuple(sorted(ratings.get(stats.dimension_key, ()))) if points else None,
        )
        for stats in scores.dimensions
    )
    divergence = DivergenceInput(
        rows, scores.respondents, has_client, scores.gap_threshold, scores.confidence_threshold
    )
    # The flag zone is where a member is named: sure, and above the client by more than
    # the sure gap threshold.
    confidence = ConfidenceInput(
        _confidence_points(catalogue, data, scores) if points else (),
        has_client,
        scores.sure_gap_threshold,
        scores.confidence_threshold,
        None if points else _confidence_counts(has_client, scores),
    )
    votes = VotesInput(
        bars=tuple(
            VoteBar(
                category.key,
                category.name,
                scores.votes[category.key],
                scores.votes[category.key] / scores.respondents,
                meets_share(scores.votes[category.key], scores.respondents, thresholds.vote_share),
            )
            for category in voted
        ),
        respondents=scores.respondents,
        quorum=quorum,
        vote_share=thresholds.vote_share,
    )
    return ChartInputs(divergence, confidence, votes)


def _confidence_counts(has_client: bool, scores: ReviewScores) -> tuple[int, int]:
    """What `_confidence_points` would list, counted: every answer on a dimension the client
    rated, and those the gate names, which are exactly the scores' flags."""
    if not has_client:
        return 0, 0
    rated = sum(stats.n for stats in scores.dimensions if stats.client_rating is not None)
    return rated, len(scores.flags)


def _confidence_points(
    catalogue: Catalogue, data: ReviewData, scores: ReviewScores
) -> tuple[ConfidencePoint, ...]:
    if data.client is None:
        return ()
    points: list[ConfidencePoint] = []
    gate = scores.gate
    by_dimension: dict[str, list] = {}
    for response in data.team:
        for answer in response.answers:
            by_dimension.setdefault(answer.dimension_key, []).append(answer)
    for stats in scores.dimensions:
        client_rating = stats.client_rating
        if client_rating is None:
            continue
        title = catalogue.dimension(stats.dimension_key).title
        answers = list(by_dimension.get(stats.dimension_key, ()))
        # Sorted by the numbers, not by respondent, so row order says nothing about who.
        answers.sort(key=lambda answer: (-answer.rating, -answer.confidence))
        points.extend(
            ConfidencePoint(
                dimension_title=title,
                rating=answer.rating,
                client_rating=client_rating,
                gap=answer.rating - client_rating,
                confidence=answer.confidence,
                in_flag_zone=gate.names(answer.rating, answer.confidence, client_rating),
            )
            for answer in answers
        )
    return tuple(points)
