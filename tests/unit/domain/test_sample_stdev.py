"""sample_stdev must give statistics.stdev's float to the last bit: team_stdev is sealed in
decision records, so a last digit that changed would change a record."""

from __future__ import annotations

import itertools
import math
import statistics
from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st

from app.domain import sample_stdev as module
from app.domain.sample_stdev import sample_stdev
from tests.unit.domain.builders import PROPERTY_SETTINGS


def test_every_team_of_2_to_14_on_the_five_point_scale():
    checked = 0
    for size in range(2, 15):
        for ratings in itertools.combinations_with_replacement(range(1, 6), size):
            assert sample_stdev(ratings) == statistics.stdev(ratings), ratings
            checked += 1
    assert checked == 11_622


@PROPERTY_SETTINGS
@given(st.lists(st.integers(1, 5), min_size=2, max_size=400))
def test_large_teams_on_the_scale(ratings):
    ordered = sorted(ratings)
    assert sample_stdev(ordered) == statistics.stdev(ordered)


@PROPERTY_SETTINGS
@given(st.lists(st.integers(-(10**12), 10**12), min_size=2, max_size=60))
def test_any_whole_numbers(values):
    assert sample_stdev(values) == statistics.stdev(values)


def test_exact_figures():
    assert sample_stdev([4, 4, 4]) == 0.0
    assert sample_stdev([2, 4]) == math.sqrt(2)
    assert sample_stdev([1, 2, 3, 4, 5]) == 1.5811388300841898


def off_by(floats: int) -> SimpleNamespace:
    """math with a square root `floats` floats above the true one."""

    def sqrt(value):
        root = math.sqrt(value)
        for _ in range(floats):
            root = math.nextafter(root, math.inf)
        return root

    return SimpleNamespace(sqrt=sqrt, nextafter=math.nextafter, inf=math.inf)


def test_a_root_one_float_off_is_corrected_without_statistics(monkeypatch):
    monkeypatch.setattr(module, "math", off_by(1))
    monkeypatch.setattr(module, "statistics", None)  # any call to it would fail
    for ratings in ([1, 2, 3, 4, 5], [2, 3, 3, 5], [1, 5] * 7):
        assert sample_stdev(ratings) == statistics.stdev(ratings)


def test_a_root_further_off_is_left_to_statistics(monkeypatch):
    monkeypatch.setattr(module, "math", off_by(6))
    for ratings in ([1, 2, 3, 4, 5], [2, 3, 3, 5], [1, 5] * 7):
        assert sample_stdev(ratings) == statistics.stdev(ratings)
