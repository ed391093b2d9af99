"""The benchmark's stall probe: what it counts, and how the tables word it."""

import pytest

from bench.common import STALL_MS, stalls_ms, stalls_text


def test_only_gaps_longer_than_the_threshold_are_counted(monkeypatch):
    # A clock that advances 1 ms per read, with one 40 ms and one 7 ms jump.
    ticks = iter([0, 1, 2, 42, 43, 50, 51, 2000])
    monkeypatch.setattr("bench.common.time.perf_counter", lambda: next(ticks) / 1000)
    assert stalls_ms(seconds=1.0) == pytest.approx([40.0, 7.0, 1949.0])


def test_a_real_probe_returns_only_long_gaps():
    assert all(gap > STALL_MS for gap in stalls_ms(seconds=0.05))


def test_the_wording_gives_count_total_and_longest():
    assert stalls_text([]) == "a 1 s busy loop was never held off the CPU for more than 5 ms"
    assert stalls_text([10.0, 30.4]) == (
        "a 1 s busy loop was held off the CPU 2 times, 40 ms in all, the longest 30 ms"
    )
