"""What the benchmarks share: medians, the machine's load, the chart reference, a table."""

from __future__ import annotations

import importlib.util
import math
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

# ../shared/perf/chart_reference.py beside the repository: a batched matplotlib render of a
# 10 x 20 divergence chart, the floor the cold chart figures are held against.
REFERENCE = Path(
    os.environ.get(
        "CHART_REFERENCE",
        Path(__file__).resolve().parents[2] / "shared" / "perf" / "chart_reference.py",
    )
)


def median_ms(
    action: Callable[[], object],
    repeats: int,
    before: Callable[[], object] | None = None,
    clock: Callable[[], float] = time.perf_counter,
) -> float:
    """Median of `repeats` runs; `clock=time.process_time` counts this process's CPU time
    only, which other programs on a busy machine disturb far less than wall time."""
    timings = []
    for _ in range(repeats):
        if before is not None:
            before()
        start = clock()
        action()
        timings.append((clock() - start) * 1000)
    return statistics.median(timings)


def paired_medians(
    baseline: Callable[[], object],
    measured: Callable[[], object],
    repeats: int,
    before: Callable[[], object] | None = None,
) -> tuple[float, float]:
    """Medians (ms) of the baseline and the measured action, run alternately, so that both
    meet the same load from whatever else the machine is doing."""
    base, timed = [], []
    for _ in range(repeats):
        start = time.perf_counter()
        baseline()
        base.append((time.perf_counter() - start) * 1000)
        if before is not None:
            before()
        start = time.perf_counter()
        measured()
        timed.append((time.perf_counter() - start) * 1000)
    return statistics.median(base), statistics.median(timed)


def paired_cpu_medians(
    baseline: Callable[[], object], measured: Callable[[], object], repeats: int
) -> tuple[float, float]:
    """Like `paired_medians`, in this process's CPU time (`time.process_time`), which other
    programs on a shared machine disturb far less than wall time."""
    base, timed = [], []
    for _ in range(repeats):
        for action, timings in ((baseline, base), (measured, timed)):
            start = time.process_time()
            action()
            timings.append((time.process_time() - start) * 1000)
    return statistics.median(base), statistics.median(timed)


def load() -> str:
    """The machine's load, its speed and its stalls: the absolute targets (milliseconds)
    depend on them, so a table read on another machine can be scaled by the pure-Python
    yardstick, and a run on a machine that holds a busy process off the CPU for tenths of
    a second (stalls_ms) read as such: no latency figure of that run is finer than that."""
    try:
        one, five, _ = os.getloadavg()
    except OSError:
        return "load unknown"
    return (
        f"load average {one:.1f} / {five:.1f} (1 / 5 min) on {os.cpu_count()} CPUs; "
        f"yardstick {yardstick_ms():.2f} ms; {stalls_text(stalls_ms())}"
    )


STALL_MS = 5.0


def stalls_ms(seconds: float = 1.0) -> list[float]:
    """The gaps longer than STALL_MS, in ms, between consecutive clock reads of a process
    that does nothing but read the clock for `seconds`: the times the machine held a
    runnable process off the CPU."""
    gaps = []
    began = last = time.perf_counter()
    while last - began < seconds:
        now = time.perf_counter()
        if (now - last) * 1000 > STALL_MS:
            gaps.append((now - last) * 1000)
        last = now
    return gaps


def stalls_text(gaps: list[float]) -> str:
    if not gaps:
        return f"a 1 s busy loop was never held off the CPU for more than {STALL_MS:g} ms"
    return (
        f"a 1 s busy loop was held off the CPU {len(gaps)} times, "
        f"{sum(gaps):.0f} ms in all, the longest {max(gaps):.0f} ms"
    )


def yardstick_ms() -> float:
    """The best of 20 runs of a fixed pure-Python loop (sum of 100,000 integers), in ms."""
    best = math.inf
    for _ in range(20):
        began = time.perf_counter()
        sum(range(100_000))
        best = min(best, time.perf_counter() - began)
    return best * 1000


def chart_reference() -> ModuleType | None:
    """The shared reference module, or None when it is not beside the repository."""
    if not REFERENCE.is_file():
        return None
    spec = importlib.util.spec_from_file_location("chart_reference", REFERENCE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def sql_counter(engine) -> Callable[[], int]:
    """Counts the statements sent through `engine` from now on; call it to read the count."""
    from sqlalchemy import event

    seen = [0]

    def count(*_args, **_kwargs) -> None:
        seen[0] += 1

    event.listen(engine, "before_cursor_execute", count)
    return lambda: seen[0]


class Table:
    """Rows of (measure, figure, target, verdict), printed aligned."""

    def __init__(self, title: str) -> None:
        self.title = title
        self.rows: list[tuple[str, str, str, str]] = []

    def add(self, label: str, shown: str, target: str = "", met: bool | None = None) -> None:
        verdict = "" if met is None else ("ok" if met else "MISSED")
        self.rows.append((label, shown, target, verdict))

    def ratio(self, label: str, value: float, base: float, limit: float | None, unit="ms"):
        ratio = value / base if base else float("inf")
        shown = f"{value:.2f} {unit} = {ratio:.2f}x"
        target = f"<= {limit:g}x" if limit is not None else ""
        self.add(label, shown, target, None if limit is None else ratio <= limit)
        return ratio

    def print(self) -> None:
        print(f"\n{self.title} ({load()})\n")
        width = max(len(row[0]) for row in self.rows)
        shown_width = max(len(row[1]) for row in self.rows)
        for label, shown, target, verdict in self.rows:
            print(f"{label:<{width}}  {shown:>{shown_width}}  {target:<10} {verdict}".rstrip())
