import math

import krippendorff
import numpy as np
import pytest

from app.domain.agreement import team_agreement
from app.domain.errors import RatingOutOfRange

# Krippendorff, "Computing Krippendorff's Alpha-Reliability" (2011), the example with
# 4 observers, 12 units and missing data (None = no value).
_ = None
KRIPPENDORFF_2011 = {
    "A": [1, 2, 3, 3, 2, 1, 4, 1, 2, _, _, _],
    "B": [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, _, 3],
    "C": [_, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, _],
    "D": [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, _],
}
UNITS = [f"u{index}" for index in range(1, 13)]


def _as_mapping(rows):
    return {
        rater: {unit: value for unit, value in zip(UNITS, values, strict=True) if value is not None}
        for rater, values in rows.items()
    }


def _as_matrix(rows):
    return np.array(
        [[math.nan if value is None else value for value in values] for values in rows.values()],
        dtype=float,
    )


@pytest.mark.parametrize(
    ("level", "published"),
    [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)],
)
def test_krippendorff_package_reproduces_the_published_example(level, published):
    data = _as_matrix(KRIPPENDORFF_2011)
    assert (
        round(krippendorff.alpha(reliability_data=data, level_of_measurement=level), 3) == published
    )
    # Restricting the value domain to the 1-5 scale changes nothing: values with no
    # occurrences add nothing to the ordinal distances.
    restricted = krippendorff.alpha(
        reliability_data=data, level_of_measurement=level, value_domain=[1, 2, 3, 4, 5]
    )
    assert round(restricted, 3) == published


def test_team_agreement_gives_the_published_ordinal_alpha():
    agreement = team_agreement(_as_mapping(KRIPPENDORFF_2011), UNITS)
    assert agreement.state == "alpha"
    assert round(agreement.alpha, 3) == 0.815
    # Unit 12 has a single value (B's 3), so it is not pairable: 3+4+4+4+4+4+4+4+4+3+2 = 40.
    assert agreement.pairable_values == 40
    assert agreement.raters == 4
    assert agreement.units == 11


def test_within_one_share_on_the_published_example():
    # Medians per unit: u1 1, u2 2, u3 3, u4 3, u5 2, u6 (1,2,3,4) 2.5, u7 4, u8 1, u9 2,
    # u10 5, u11 1. Outside one point: only u6's 1 and 4 (1.5 from 2.5): 38 of 40 = 0.95.
    agreement = team_agreement(_as_mapping(KRIPPENDORFF_2011), UNITS)
    assert agreement.within_one_share == pytest.approx(0.95)


def test_hand_computed_ordinal_alpha_for_two_raters():
    # Units u1 (1, 2), u2 (2, 2), u3 (3, 3): n1 = 1, n2 = 3, n3 = 2, n = 6.
    # Coincidences: o12 = o21 = 1, o22 = 2, o33 = 2.
    # Ordinal distances: d12 = (4/2)^2 = 4, d13 = (6 - 1.5)^2 = 20.25, d23 = (5/2)^2 = 6.25.
    # Observed: 2 * 1 * 4 = 8. Expected: 2 * (3*4 + 2*20.25 + 6*6.25) = 180.
    # alpha = 1 - (n - 1) * 8 / 180 = 1 - 40/180 = 7/9.
    agreement = team_agreement(
        {"Member A": {"u1": 1, "u2": 2, "u3": 3}, "Member B": {"u1": 2, "u2": 2, "u3": 3}},
        ["u1", "u2", "u3"],
    )
    assert agreement.alpha == pytest.approx(7 / 9)
    assert agreement.pairable_values == 6
    # medians 1.5, 2, 3: every rating within one point
    assert agreement.within_one_share == 1.0


def test_unanimity_is_a_state_not_nan():
    ratings = {f"Member {x}": {"goals": 4, "delivery": 4} for x in "ABC"}
    agreement = team_agreement(ratings, ["goals", "delivery"])
    assert agreement.state == "unanimous"
    assert agreement.alpha is None
    assert agreement.within_one_share == 1.0
    assert (agreement.pairable_values, agreement.raters, agreement.units) == (6, 3, 2)


def test_unanimity_ignores_lone_ratings_on_unpaired_dimensions():
    # "delivery" is rated by one member only: not pairable, so it cannot break unanimity.
    ratings = {"Member A": {"goals": 3, "delivery": 1}, "Member B": {"goals": 3}}
    agreement = team_agreement(ratings, ["goals", "delivery"])
    assert agreement.state == "unanimous"
    assert (agreement.pairable_values, agreement.units) == (2, 1)


@pytest.mark.parametrize(
    "ratings",
    [
        {},
        {"Member A": {"goals": 4, "delivery": 2}},
        {"Member A": {"goals": 4}, "Member B": {"delivery": 2}},
        {"Member A": {"other": 4}, "Member B": {"other": 2}},
    ],
    ids=["nobody", "one rater", "no shared dimension", "only unlinked dimensions"],
)
def test_too_few_ratings(ratings):
    agreement = team_agreement(ratings, ["goals", "delivery"])
    assert agreement.state == "too_few"
    assert agreement.alpha is None
    assert agreement.within_one_share is None
    assert agreement.pairable_values == 0


def test_alpha_is_zero_on_a_single_dimension_whatever_the_ratings():
    # One unit: observed and expected disagreement coincide, so alpha = 0 exactly.
    ratings = {"Member A": {"goals": 1}, "Member B": {"goals": 5}, "Member C": {"goals": 3}}
    assert team_agreement(ratings, ["goals"]).alpha == pytest.approx(0.0)
    ratings = {"Member A": {"goals": 4}, "Member B": {"goals": 4}, "Member C": {"goals": 5}}
    assert team_agreement(ratings, ["goals"]).alpha == pytest.approx(0.0)


def test_one_dissent_collapses_alpha_while_the_companion_stays_high():
    # goals (4,4,5,4,4), delivery (4,4,4,5,4): n4 = 8, n5 = 2, n = 10. Each unit adds
    # 4 ordered (4,5) pairs / (5 - 1) = 1 to o45 and to o54: o45 = o54 = 2.
    # d45 = (10/2)^2 = 25; observed 2 * 2 * 25 = 100; expected 2 * 8 * 2 * 25 = 800.
    # alpha = 1 - 9 * 100 / 800 = -0.125; every rating is within one point of its median.
    goals, delivery = (4, 4, 5, 4, 4), (4, 4, 4, 5, 4)
    ratings = {
        f"Member {x}": {"goals": g, "delivery": d}
        for x, g, d in zip("ABCDE", goals, delivery, strict=True)
    }
    agreement = team_agreement(ratings, ["goals", "delivery"])
    assert agreement.alpha == pytest.approx(-0.125)
    assert agreement.within_one_share == 1.0


def test_dimension_keys_outside_the_ratings_and_duplicates_are_harmless():
    ratings = {"Member A": {"goals": 1, "x": 2}, "Member B": {"goals": 2, "x": 2}}
    once = team_agreement(ratings, ["goals", "x"])
    assert team_agreement(ratings, ["goals", "x", "goals", "absent"]) == once


def test_ratings_outside_the_scale_are_refused():
    with pytest.raises(RatingOutOfRange):
        team_agreement({"Member A": {"goals": 6}, "Member B": {"goals": 4}}, ["goals"])
