"""What fifty requests at once cost through gunicorn when the app does nothing: the floor
under `bench.submit_load`'s two bursts, measured in the same run.

A WSGI callable that answers every request with two bytes (no Flask, no session, no
database) is served by gunicorn with the same workers on 127.0.0.1, and the same fifty
raw-socket requests are sent to it at once, round by round. What the static page's burst
costs above this is the app's own work per request (its session check, its page, its
round trips to the database), not the machine's or gunicorn's.
"""

from __future__ import annotations

import statistics
import time

from bench.submit_load import (
    Member,
    at_once,
    free_port,
    percentiles,
    start_gunicorn,
    stop,
    wait_until_up,
)


def bare_app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
    return [b"ok"]


def floor_p95s(members: int, workers: int, rounds: int) -> list[float]:
    """The p95 of each round's burst of `members` requests to `bare_app`, in ms."""
    port = free_port()
    began = time.monotonic()
    server = start_gunicorn("bench.burst_floor:bare_app", port, workers)
    try:
        senders = [Member(f"http://127.0.0.1:{port}", "", "") for _ in range(members)]
        wait_until_up(senders[0], server, began, path="/")
        p95s = []
        for _ in range(rounds):
            burst = at_once(senders, lambda index: ("/", None))
            p95s.append(percentiles(sorted(ms for code, ms in burst if code == 200))[1])
        return p95s
    finally:
        stop(server)


def report_floor(members: int, workers: int, rounds: int) -> None:
    p95s = floor_p95s(members, workers, rounds)
    print(
        f"  floor: a WSGI app that does nothing, through the same gunicorn, {members} at "
        f"once: p95 {statistics.median(p95s):.1f} ms (median of {rounds} rounds: "
        + ", ".join(f"{p95:.1f}" for p95 in p95s)
        + ")"
    )
