"""Small builders so each test states only the numbers that matter to it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from hypothesis import settings
from hypothesis import strategies as st

from app.domain.catalogue_default import default_catalogue
from app.domain.scoring import CategoryChoice, ClientView, ReviewData, TeamAnswer, TeamResponse

# No example database: hypothesis would otherwise write .hypothesis/ into the repository.
PROPERTY_SETTINGS = settings(database=None, deadline=None, max_examples=150)

CATALOGUE = default_catalogue()
# "muddy" links goals_agreed and delivery_quality (see catalogue_default.json).
MUDDY = "muddy"
GOALS = "goals_agreed"
DELIVERY = "delivery_quality"


def member(index: int) -> str:
    return f"Member {chr(ord('A') + index)}"


def response(
    respondent: str,
    ratings: Mapping[str, int],
    *,
    complexity: int = 2,
    confidence: int | Mapping[str, int] = 70,
    choices: Sequence[str] = (MUDDY,),
) -> TeamResponse:
    def confidence_for(key: str) -> int:
        return confidence[key] if isinstance(confidence, Mapping) else confidence

    return TeamResponse(
        respondent=respondent,
        complexity=complexity,
        answers=tuple(
            TeamAnswer(key, rating, confidence_for(key)) for key, rating in ratings.items()
        ),
        choices=tuple(CategoryChoice(key, f"evidence for {key}") for key in choices),
    )


def team_from_columns(
    columns: Mapping[str, Sequence[int]],
    *,
    complexity: int | Sequence[int] = 2,
    confidence: int = 70,
    choices: Sequence[Sequence[str]] | None = None,
) -> tuple[TeamResponse, ...]:
    """columns = {dimension_key: [rating of Member A, of Member B, ...]}."""
    size = len(next(iter(columns.values())))
    complexities = [complexity] * size if isinstance(complexity, int) else list(complexity)
    return tuple(
        response(
            member(index),
            {key: ratings[index] for key, ratings in columns.items()},
            complexity=complexities[index],
            confidence=confidence,
            choices=(MUDDY,) if choices is None else choices[index],
        )
        for index in range(size)
    )


def review(
    team: Sequence[TeamResponse],
    client: Mapping[str, int] | None,
    *,
    quorum: int = 3,
    waiver: str | None = None,
    complexity_floor: int = 2,
) -> ReviewData:
    return ReviewData(
        catalogue=CATALOGUE,
        team=tuple(team),
        client=None if client is None else ClientView(dict(client)),
        quorum=quorum,
        waiver_reason=waiver,
        complexity_floor=complexity_floor,
    )


# Generated reviews, for the properties of the rule and of the record (hypothesis).
CATEGORIES = ("muddy", "non_responsive", "conservative", "controlling")
# every dimension linked to one of those categories, plus one unlinked dimension
DIMENSIONS = tuple(
    dict.fromkeys(
        [key for category in CATEGORIES for key in CATALOGUE.category(category).dimension_keys]
        + ["timeliness"]
    )
)


@st.composite
def team_responses(draw, size):
    responses = []
    for index in range(size):
        answers = []
        for key in DIMENSIONS:
            rating = draw(st.one_of(st.none(), st.integers(1, 5), st.integers(3, 5)))
            if rating is not None:
                answers.append(TeamAnswer(key, rating, draw(st.integers(50, 100))))
        choices = draw(st.lists(st.sampled_from(CATEGORIES), max_size=3))
        responses.append(
            TeamResponse(
                respondent=member(index),
                complexity=draw(st.integers(1, 5)),
                answers=tuple(answers),
                choices=tuple(CategoryChoice(key, "evidence") for key in choices),
            )
        )
    return tuple(responses)


@st.composite
def reviews(draw):
    team = draw(st.integers(1, 7).flatmap(team_responses))
    client = draw(
        st.one_of(
            st.none(),
            st.dictionaries(st.sampled_from(DIMENSIONS), st.integers(1, 5)),
        )
    )
    waiver = draw(st.sampled_from([None, "", "  ", "The client stopped answering in March"]))
    return review(
        team,
        client,
        quorum=draw(st.integers(1, 5)),
        waiver=waiver,
        complexity_floor=draw(st.integers(1, 5)),
    )
