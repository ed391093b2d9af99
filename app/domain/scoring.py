"""Review data in, per-dimension statistics, gaps, overconfidence flags and votes out.

Nothing is rounded here; presentation rounds. Every result is independent of the
order in which responses arrive: values are sorted before they are summarised and
outputs follow catalogue order, then respondent label.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from app.domain.catalogue import Catalogue
from app.domain.errors import (
    EmptyReviewData,
)
from app.domain.flags import OverconfidenceFlag, new_flag
from app.domain.sample_stdev import sample_stdev
from app.domain.thresholds import Thresholds
from app.domain.validation import validate_review_data

# Float means and thresholds such as 4/3 - 0.2 * 2 are not exact; without a tolerance a
# gap that equals its threshold on paper could land on either side of it.
TOLERANCE = 1e-9


# --- inputs ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)  # slots: a big review reads thousands at once
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
    """The client's ratings by dimension key; a missing key means the client skipped it.

    source is "link" (the client answered through its private link) or "lead" (a lead
    recorded the client's stated view: recorded_by names them, quote is the source text).
    """

    ratings: Mapping[str, int] = field(default_factory=dict)
    source: str = "link"
    recorded_by: str | None = None
    quote: str | None = None

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
    #: The review's complexity level, set by the lead before any answer (see thresholds).
    complexity_floor: int = 3

    @property
    def has_waiver_reason(self) -> bool:
        """The lead wrote why to decide without the client's rating (missing or skipped)."""
        return bool(self.waiver_reason and self.waiver_reason.strip())

    @property
    def waived(self) -> bool:
        """True when there is no client view and a reason for deciding without it."""
        return self.client is None and self.has_waiver_reason


# --- outputs -----------------------------------------------------------------------


@dataclass(frozen=True)
class DimensionStats:
    """Team figures on one dimension. team_stdev is the sample standard deviation (n - 1),
    because the respondents are a sample of everyone who could have judged the work;
    it is 0.0 when only one member rated the dimension.

    Against the client (None without a client rating): gap = team mean - client;
    weighted_gap counts the over-rating of sure members sure_weight times (see
    `weighted_gap`); team_flagged is True when the weighted gap exceeds the gap
    threshold, i.e. the overconfidence gate blocks on this dimension; sure_over_raters
    counts the members above the client who are sure; flagged_members names those whose
    own over-rating, counted as sure, exceeds the gap threshold.
    """

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
    weighted_gap: float | None = None
    sure_over_raters: int = 0
    over_raters: int = 0


@dataclass(frozen=True)
class ReviewScores:
    """Figures for a whole review. `dimensions` lists, in catalogue order, every dimension
    that at least one member rated.

    complexity is the level the check uses (the review's floor, set before any answer);
    complexity_median is the median of the members' own ratings, shown beside it. The
    thresholds follow from complexity (app/domain/thresholds.py).
    """

    complexity: int
    complexity_median: float
    gap_threshold: float
    confidence_threshold: float
    sure_gap_threshold: float
    sure_weight: float
    dimensions: tuple[DimensionStats, ...]
    flags: tuple[OverconfidenceFlag, ...]
    votes: Mapping[str, int]
    respondents: int

    def stats_for(self, dimension_key: str) -> DimensionStats | None:
        for stats in self.dimensions:
            if stats.dimension_key == dimension_key:
                return stats
        return None

    @property
    def gate(self) -> Gate:
        return Gate(self.gap_threshold, self.confidence_threshold, self.sure_weight)


# --- scoring -----------------------------------------------------------------------


def complexity_median(team: Iterable[TeamResponse]) -> float:
    complexities = sorted(response.complexity for response in team)
    if not complexities:
        raise EmptyReviewData()
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
    # Members' own complexity ratings never set the bar: any rule in which a higher
    # rating tightens the check lets a member loosen it by rating lower. The level is
    # the one the lead fixed before any answer existed (docs/agreement-rule.md).
    level = data.complexity_floor
    gate = Gate(
        gap_limit=thresholds.gap_threshold(level),
        sure_confidence=thresholds.confidence_threshold(level),
        sure_weight=thresholds.sure_weight,
    )
    client_ratings = data.client.ratings if data.client is not None else {}
    # Each dimension's answers and their respondents, in respondent order (validated:
    # every key is the catalogue's). Two parallel lists, not a pair per answer.
    keys = data.catalogue.dimension_keys
    answers_on: dict[str, list[TeamAnswer]] = {key: [] for key in keys}
    respondents_on: dict[str, list[str]] = {key: [] for key in keys}
    for response in team:
        for answer in response.answers:
            answers_on[answer.dimension_key].append(answer)
            respondents_on[answer.dimension_key].append(response.respondent)

    all_stats: list[DimensionStats] = []
    all_flags: list[OverconfidenceFlag] = []
    for dimension_key in keys:
        answers = answers_on[dimension_key]
        if not answers:
            continue
        stats, flags = _dimension_stats(
            dimension_key,
            answers,
            respondents_on[dimension_key],
            client_ratings.get(dimension_key),
            gate,
        )
        all_stats.append(stats)
        all_flags.extend(flags)

    return ReviewScores(
        complexity=level,
        complexity_median=complexity_median(team),
        gap_threshold=gate.gap_limit,
        confidence_threshold=gate.sure_confidence,
        sure_gap_threshold=gate.gap_limit / gate.sure_weight,
        sure_weight=gate.sure_weight,
        dimensions=tuple(all_stats),
        flags=tuple(all_flags),
        votes=category_votes(team, data.catalogue),
        respondents=len(team),
    )


@dataclass(frozen=True)
class Gate:
    """The overconfidence gate's bars at the review's complexity level."""

    gap_limit: float
    sure_confidence: float
    sure_weight: float

    @property
    def sure_bar(self) -> float:
        """The lowest confidence that counts as sure, the tolerance included."""
        return self.sure_confidence - TOLERANCE

    def is_sure(self, confidence: float) -> bool:
        return confidence >= self.sure_bar

    def names(self, rating: int, confidence: float, client_rating: int) -> bool:
        """A member is named overconfident when sure and their own over-rating, counted
        sure_weight times, exceeds the gap threshold."""
        over = rating - client_rating
        return over > 0 and self.is_sure(confidence) and self.names_sure_over(over)

    def names_sure_over(self, over: int) -> bool:
        """`names` for a member already known to be sure and above the client by `over`."""
        return over * self.sure_weight > self.gap_limit + TOLERANCE

    def weighted_gap(self, over_total: int, sure_over_total: int, raters: int) -> float:
        """The team's gap with each sure member's over-rating counted sure_weight times:

            (sum(rating - client) + (sure_weight - 1) * sum over sure over-raters of
             (rating - client)) / n

        given the two sums (`over_total`, `sure_over_total`) and n (`raters`). With
        nobody sure it is the plain team gap; with every over-rater sure it is at least
        sure_weight times the plain gap. Raising a confidence never lowers it.
        """
        return (over_total + (self.sure_weight - 1) * sure_over_total) / raters

    def blocks(self, weighted_gap: float, sure_over_raters: int) -> bool:
        """Sure over-rating pushes the team past the gap threshold. Without any sure
        over-rater the weighted gap is the plain gap, which corroboration judges alone:
        an unsure team that over-rates is not overconfident, just uncorroborated."""
        return sure_over_raters > 0 and weighted_gap > self.gap_limit + TOLERANCE


def _dimension_stats(
    dimension_key: str,
    answers: Sequence[TeamAnswer],
    respondents: Sequence[str],
    client_rating: int | None,
    gate: Gate,
) -> tuple[DimensionStats, list[OverconfidenceFlag]]:
    """One dimension's figures; `respondents[i]` gave `answers[i]`, in respondent order.
    Ratings and confidences are whole numbers (validated), so their sums are exact and
    do not depend on order. Run once per question on every answer: plain lists of
    numbers, and the gate's bars read once, not once per member."""
    given = [answer.rating for answer in answers]
    confidences = [answer.confidence for answer in answers]
    ratings = sorted(given)
    n = len(ratings)
    rating_total = sum(ratings)
    team_mean = rating_total / n
    flags: list[OverconfidenceFlag] = []
    gap = weighted = None
    team_flagged = False
    over_raters = sure_over_raters = 0
    if client_rating is not None:
        gap = team_mean - client_rating
        sure_bar = gate.sure_bar
        # A handful of distinct ratings: whether each over-rating names a sure member.
        names_over = {
            rating - client_rating: gate.names_sure_over(rating - client_rating)
            for rating in set(given)
            if rating > client_rating
        }
        sure_over_total = 0
        for index, rating in enumerate(given):
            over = rating - client_rating
            if over <= 0:
                continue
            over_raters += 1
            confidence = confidences[index]
            if not confidence >= sure_bar:  # gate.is_sure, inline: asked of every over-rater
                continue
            sure_over_raters += 1
            sure_over_total += over
            if names_over[over]:
                flags.append(
                    new_flag(
                        dimension_key,
                        respondents[index],
                        float(rating),
                        client_rating,
                        float(over),
                        float(confidence),
                    )
                )
        weighted = gate.weighted_gap(rating_total - n * client_rating, sure_over_total, n)
        team_flagged = gate.blocks(weighted, sure_over_raters)
    stats = DimensionStats(
        dimension_key=dimension_key,
        n=n,
        team_mean=team_mean,
        team_median=float(statistics.median(ratings)),
        team_min=ratings[0],
        team_max=ratings[-1],
        team_stdev=sample_stdev(ratings) if n > 1 else 0.0,
        client_rating=client_rating,
        gap=gap,
        mean_confidence=sum(confidences) / n,
        team_flagged=team_flagged,
        flagged_members=tuple(flag.who for flag in flags),
        weighted_gap=weighted,
        sure_over_raters=sure_over_raters,
        over_raters=over_raters,
    )
    return stats, flags
