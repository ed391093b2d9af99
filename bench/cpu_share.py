"""Where a burst's CPU went, from Linux's own accounts (/proc): the machine's cores, the
app server's workers (the children of the gunicorn process), PostgreSQL's processes, and
the rest (the client, the kernel, everything else), per request of the bursts measured.

The fifty-at-once burst keeps both cores busy: its p95 is about the CPU it needs, spread
over the cores. These accounts say whose CPU that is, and how much of the machine other
tenants took meanwhile (steal). Linux counts in clock ticks (10 ms): summed over every
burst of a run, 250 requests, that is 0.04 ms a request.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")


@dataclass(frozen=True)
class Snapshot:
    """Ticks so far: the machine's (all, busy, stolen) and each group's processes'."""

    total: int = 0
    busy: int = 0
    steal: int = 0
    workers: int = 0
    postgres: int = 0


def machine_ticks(stat_line: str) -> tuple[int, int, int]:
    """(all, busy, stolen) ticks from /proc/stat's first line. Idle and waiting for I/O
    are not busy; guest time is already counted in user time."""
    fields = [int(value) for value in stat_line.split()[1:]]
    user, nice, system, idle, iowait, irq, softirq, steal = (fields + [0] * 8)[:8]
    total = user + nice + system + idle + iowait + irq + softirq + steal
    return total, total - idle - iowait - steal, steal


def process_ticks(stat_text: str) -> tuple[str, int, int]:
    """(name, parent's pid, user + system ticks) from a /proc/PID/stat text; the name sits
    in brackets and may hold spaces."""
    name = stat_text[stat_text.index("(") + 1 : stat_text.rindex(")")]
    rest = stat_text[stat_text.rindex(")") + 2 :].split()
    return name, int(rest[1]), int(rest[11]) + int(rest[12])


def snapshot(server_pid: int, proc: Path = PROC) -> Snapshot:
    """The machine's ticks and those of `server_pid`'s children and of PostgreSQL now.
    Empty (all zero) where /proc cannot be read: not Linux."""
    try:
        total, busy, steal = machine_ticks((proc / "stat").read_text().splitlines()[0])
    except OSError:
        return Snapshot()
    workers = postgres = 0
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            name, parent, ticks = process_ticks((entry / "stat").read_text())
        except (OSError, ValueError):
            continue  # ended meanwhile
        if parent == server_pid:
            workers += ticks
        elif name == "postgres":
            postgres += ticks
    return Snapshot(total, busy, steal, workers, postgres)


def share_text(spent: list[tuple[Snapshot, Snapshot]], requests: int) -> str:
    """The CPU a request of the bursts took, by whom, and how busy the cores were, summed
    over each (before, after) pair of snapshots taken around a burst."""
    if not spent or not requests or not any(after.total for _, after in spent):
        return "not measured (no /proc)"

    def summed(field: str) -> int:
        return sum(getattr(after, field) - getattr(before, field) for before, after in spent)

    tick_ms = 1000 / os.sysconf("SC_CLK_TCK")
    total, busy, steal = summed("total"), summed("busy"), summed("steal")
    workers, postgres = summed("workers"), summed("postgres")
    rest = max(busy - workers - postgres, 0)

    def each(ticks: int) -> str:
        return f"{ticks * tick_ms / requests:.2f}"

    return (
        f"{each(busy)} ms of CPU a request: app workers {each(workers)}, PostgreSQL "
        f"{each(postgres)}, the rest (client, kernel, others) {each(rest)}; the cores "
        f"busy {100 * busy / max(total, 1):.0f} % of the bursts, "
        f"{100 * steal / max(total, 1):.0f} % taken by other tenants"
    )
