"""`python -m bench.submit_load`: 50 members submit their answers at the same moment,
through gunicorn on PostgreSQL, and nothing is lost.

Builds ROUNDS open reviews of the same MEMBERS members on a 20-question catalogue in the
database named by BENCH_DATABASE_URL (its tables are dropped and made afresh: give it a
database of its own), starts gunicorn on 127.0.0.1 (a free port, WORKERS sync workers),
logs every member in and fetches their answer forms (untimed). Then, round by round, the
same members fetch the static /about page at the same moment (the baseline: the floor
this machine and gunicorn set, measured in the same run) and at once submit their answers
to that round's review, all at the same moment. Each burst is sent over raw sockets from
one thread, each request timed until its response has been read. Rounds alternate the
two so that both meet the same load: on a machine whose other services take a share of
the two cores in bursts, one pair can differ several-fold from the next, and the median
over rounds is what is reported. Afterwards it counts the rows the database holds
(submitted responses, answers, choices) against what was sent.

Bounded: MEMBERS requests, each with a 30 s timeout; gunicorn must answer within
START_DEADLINE_S of its launch, and each burst must be answered within BURST_DEADLINE_S of
its first request (a request still unanswered then counts as an error, status 0). The
logins before the bursts are not under a deadline of their own: each checks an Argon2 hash
(64 MiB, about 0.1 to 0.8 s on a loaded 2-core machine), which no target times.
Only 127.0.0.1 is ever contacted. Prints each round's p50 and p95 of both bursts, the
medians over rounds against the target, the errors, the CPU a request of each kind took
and whose it was (bench/cpu_share.py), and the row counts.
Usage: BENCH_DATABASE_URL=postgresql://... python -m bench.submit_load [--members N]
[--rounds N].
Always exits 0: it reports, CI decides.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import secrets
import selectors
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import timedelta
from pathlib import Path

from bench import cpu_share
from bench.common import load

P95_TARGET_MS = 100.0
START_DEADLINE_S = 120
BURST_DEADLINE_S = 60
WORKERS = 4
ROUNDS = 5
QUESTIONS = 20
ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Member:
    def __init__(self, base: str, email: str, password: str) -> None:
        self.base, self.email, self.password = base, email, password
        self.port = urllib.parse.urlsplit(base).port
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect()
        )

    def send(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body)  # noqa: S310
        try:
            # 127.0.0.1 over http only: the base is built here, never read from outside.
            with self.opener.open(request, timeout=30) as reply:  # noqa: S310
                return reply.status, reply.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def token(self, path: str) -> str:
        _, page = self.send(path)
        return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def build(
    url: str, members: int, password: str, rounds: int
) -> tuple[list[int], list[str], list[str], list[str]]:
    """`rounds` open reviews of the same team; returns their ids, the members' e-mails,
    question and category keys."""
    os.environ.setdefault("SECRET_KEY", secrets.token_hex(32))
    os.environ.setdefault("ARCHIVE_KEY", secrets.token_hex(32))
    from app import create_app
    from app.extensions import db
    from app.models import utcnow
    from app.services import review_opening
    from app.services.clients import create_client
    from bench import run

    run.PASSWORD = password
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.drop_all()
        db.create_all()
        first, lead, team, keys = run.open_review("load", members, QUESTIONS)
        member_ids = [member.id for member in team]
        review_ids = [first]
        for number in range(2, rounds + 1):  # a client has one open review at a time
            client = create_client(f"Client load {number} Ltd", "Pat", "", "", lead)
            now = utcnow()
            again = review_opening.open_review(
                lead, client.id, "Bench conflict.", member_ids, now + timedelta(days=7), 3, now
            )
            review_ids.append(again.id)
        emails = [member.email for member in team]
        db.session.remove()
        db.engine.dispose()
    return review_ids, emails, keys, ["muddy", "controlling"]


def form_data(keys: list[str], categories: list[str], index: int) -> dict:
    # "confirm_submit": the box a member ticks to confirm that a submission locks.
    data = {"complexity": "3", "submit": "1", "confirm_submit": "y"}
    for n, key in enumerate(keys):
        data[f"rating__{key}"] = str(1 + (index + n) % 5)
        data[f"confidence__{key}"] = str(50 + 10 * ((index + n) % 6))
        data[f"comment__{key}"] = ""
    category = categories[index % len(categories)]
    data[f"choose__{category}"] = "y"
    data[f"evidence__{category}"] = "Seen in the e-mails of March."
    return data


ROW_COUNTS = {
    "submitted responses": "SELECT count(*) FROM team_responses r WHERE {submitted}",
    "answers": "SELECT count(*) FROM team_answers a JOIN team_responses r "
    "ON r.id = a.response_id WHERE {submitted}",
    "category choices": "SELECT count(*) FROM category_choices c JOIN team_responses r "
    "ON r.id = c.response_id WHERE {submitted}",
}


def count_rows(url: str, review_ids: list[int]) -> dict[str, int]:
    from sqlalchemy import create_engine, text

    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    submitted = "r.review_id = ANY(:r) AND r.status = 'submitted'"
    with engine.connect() as connection:
        counts = {
            name: connection.scalar(text(sql.format(submitted=submitted)), {"r": review_ids})
            for name, sql in ROW_COUNTS.items()
        }
    engine.dispose()
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=50)
    parser.add_argument("--workers", type=int, default=WORKERS)
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    args = parser.parse_args(argv)
    if args.members < 1 or args.rounds < 1:
        parser.error("--members and --rounds must be at least 1")
    url = os.environ.get("BENCH_DATABASE_URL", "")
    if not url.startswith("postgresql"):
        print("Submit load: not measured (set BENCH_DATABASE_URL to a PostgreSQL database).")
        return 0
    password = secrets.token_urlsafe(16)
    review_ids, emails, keys, categories = build(url, args.members, password, args.rounds)
    port = free_port()
    began = time.monotonic()
    environment = {
        **os.environ,
        "DATABASE_URL": url,
        "LOGIN_RATE_LIMIT": "100000 per minute",
        "CANDOR_ENV": "development",
    }
    server = start_gunicorn("wsgi:app", port, args.workers, environment)
    rounds: list[tuple[list, list]] = []
    cpu: dict[str, list] = {"static": [], "submit": []}  # (before, after) per burst

    def measured(kind: str, burst):
        before = cpu_share.snapshot(server.pid)
        results = burst()
        cpu[kind].append((before, cpu_share.snapshot(server.pid)))
        return results

    try:
        base = f"http://127.0.0.1:{port}"
        members = [Member(base, email, password) for email in emails]
        wait_until_up(members[0], server, began)
        tokens = [log_in(member, password, review_ids) for member in members]
        for review_id in review_ids:
            # The baseline first: the same members fetch the static page all at once.
            static = measured("static", lambda: at_once(members, lambda index: ("/about", None)))
            submits = measured(
                "submit",
                lambda review_id=review_id: at_once(
                    members,
                    lambda index: (
                        f"/reviews/{review_id}/answer",
                        {**form_data(keys, categories, index), "csrf_token": tokens[index]},
                    ),
                ),
            )
            rounds.append((static, submits))
    finally:
        stop(server)
    print(
        f"\nSubmit load: {len(members)} members at once, gunicorn -w {args.workers}, "
        f"PostgreSQL, {len(rounds)} rounds ({load()})"
    )
    report(rounds, len(members))
    requests = len(members) * len(rounds)
    print(f"  CPU, static bursts: {cpu_share.share_text(cpu['static'], requests)}")
    print(f"  CPU, submit bursts: {cpu_share.share_text(cpu['submit'], requests)}")
    # Imported here: burst_floor sends its bursts with this module's own client.
    from bench.burst_floor import report_floor

    report_floor(len(members), args.workers, len(rounds))
    counts = count_rows(url, review_ids)
    expected = {
        "submitted responses": len(members) * len(review_ids),
        "answers": len(members) * len(keys) * len(review_ids),
        "category choices": len(members) * len(review_ids),
    }
    for name, expected_count in expected.items():
        state = "ok" if counts[name] == expected_count else "LOST OR EXTRA"
        print(f"  {name}: {counts[name]} stored, {expected_count} sent: {state}")
    return 0


def log_in(member: Member, password: str, review_ids: list[int]) -> str:
    """Log the member in and open each review's answer form; returns the session's CSRF
    token, which every form of the session accepts."""
    login = {"email": member.email, "password": password}
    status, _ = member.send("/auth/login", {**login, "csrf_token": member.token("/auth/login")})
    assert status == 302, f"login of {member.email}: {status}"
    token = ""
    for review_id in review_ids:
        token = member.token(f"/reviews/{review_id}/answer")
    return token


def report(rounds: list[tuple[list, list]], members: int) -> None:
    """Each round's two bursts, then the medians over rounds beside the target."""
    p95s, ratios, errors, statuses = [], [], 0, set()
    for number, (static, submits) in enumerate(rounds, 1):
        static_p50, static_p95 = percentiles(sorted(ms for code, ms in static if code == 200))
        p50, p95 = percentiles(sorted(ms for code, ms in submits if code == 302))
        errors += sum(1 for code, _ in submits if code != 302)
        statuses |= {code for code, _ in submits if code != 302}
        answered = sum(1 for code, _ in static if code == 200)
        print(
            f"  round {number}: the static /about page, {members} at once: p50 {static_p50:.1f} "
            f"ms, p95 {static_p95:.1f} ms ({answered} of {members} answered 200); submits: "
            f"p50 {p50:.1f} ms, p95 {p95:.1f} ms = {p95 / static_p95:.1f}x the baseline's p95"
        )
        p95s.append(p95)
        ratios.append(p95 / static_p95)
    p95, ratio = statistics.median(p95s), statistics.median(ratios)
    print(
        f"  median over rounds: submits' p95 {p95:.1f} ms = {ratio:.1f}x the baseline's p95 "
        f"(target p95 <= {P95_TARGET_MS:g} ms: {'ok' if p95 <= P95_TARGET_MS else 'MISSED'}); "
        f"errors: {errors}"
        + (f" (HTTP {', '.join(map(str, sorted(statuses)))}; 0: no answer)" if statuses else "")
    )


def at_once(members: list[Member], request_of) -> list[tuple[int, float]]:
    """Every member sends `request_of(index)` (a path and form data, or None for a GET) at
    the same moment; returns (status, ms) per member, from the request's last byte sent to
    the response's last byte read.

    One thread sends all of them over raw sockets and waits on a selector: the requests
    are written out in advance, with each member's cookies, so the client adds microseconds
    to a timing, where fifty urllib threads contending for one interpreter added their own
    queue to every request (what gunicorn and the app cost is what is measured)."""
    wires = [_wire(member, *request_of(index)) for index, member in enumerate(members)]
    began = time.monotonic()
    results: list[tuple[int, float]] = [(0, 0.0)] * len(members)
    host, port = urllib.parse.urlsplit(members[0].base).hostname, members[0].port
    with selectors.DefaultSelector() as selector:
        sockets = [socket.create_connection((host, port), timeout=30) for _ in members]
        replies: list[bytearray] = [bytearray() for _ in members]
        started = [0.0] * len(members)
        for index, (connection, wire) in enumerate(zip(sockets, wires, strict=True)):
            connection.sendall(wire)
            started[index] = time.perf_counter()
            connection.setblocking(False)
            selector.register(connection, selectors.EVENT_READ, index)
        waiting = len(members)
        while waiting and time.monotonic() - began < BURST_DEADLINE_S:
            for key, _ in selector.select(timeout=1.0):
                index = key.data
                chunk = key.fileobj.recv(65536)
                if chunk:
                    replies[index] += chunk
                    continue
                elapsed = (time.perf_counter() - started[index]) * 1000
                results[index] = (_status(replies[index]), elapsed)
                selector.unregister(key.fileobj)
                waiting -= 1
        for connection in sockets:
            connection.close()
    return results


def _wire(member: Member, path: str, data: dict | None) -> bytes:
    """The whole HTTP/1.1 request as bytes: the member's cookies, the form if any."""
    cookies = "; ".join(f"{cookie.name}={cookie.value}" for cookie in member.cookies)
    body = urllib.parse.urlencode(data).encode() if data is not None else b""
    # The User-Agent the member logged in with, as a browser sends its own every time: the
    # login session's check (Flask-Login's "basic" protection) marks a session that
    # changes agent as not fresh, a session write that no browser causes.
    agent = dict(member.opener.addheaders).get("User-agent", "")
    head = [
        f"{'POST' if data is not None else 'GET'} {path} HTTP/1.1",
        f"Host: 127.0.0.1:{member.port}",
        f"User-Agent: {agent}",
        f"Cookie: {cookies}",
        "Connection: close",
    ]
    if data is not None:
        head += ["Content-Type: application/x-www-form-urlencoded", f"Content-Length: {len(body)}"]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


def _status(reply: bytes) -> int:
    """The status code of a raw HTTP response (0 if there is none)."""
    parts = bytes(reply[:32]).split(b" ", 2)
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0


def percentiles(timings: list[float]) -> tuple[float, float]:
    """p50 and p95 (nearest rank) of sorted timings."""
    if not timings:
        return float("nan"), float("nan")
    return statistics.median(timings), timings[max(0, round(0.95 * len(timings)) - 1)]


def start_gunicorn(
    app_spec: str, port: int, workers: int, environment: dict | None = None
) -> subprocess.Popen:
    """gunicorn serving `app_spec` on 127.0.0.1:`port` only, its output discarded."""
    return subprocess.Popen(  # noqa: S603 - our own command line, 127.0.0.1 only
        [sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{port}"]
        + ["--timeout", "60", app_spec],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()


def wait_until_up(
    member: Member, server: subprocess.Popen, began: float, path: str = "/about"
) -> None:
    while time.monotonic() - began < START_DEADLINE_S:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}")
        try:
            if member.send(path)[0] == 200:
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    raise RuntimeError("gunicorn did not start in time")


if __name__ == "__main__":
    raise SystemExit(main())
