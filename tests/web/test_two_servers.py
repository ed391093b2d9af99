"""Two app servers behind one load balancer behave as one: two gunicorn servers on two
ports, one PostgreSQL and one Redis (TEST_REDIS_URL, default redis://127.0.0.1:6379/3).

Each point of the deployment the README describes, proven through real HTTP: a session
made on one server works on the other; a page and a chart drawn by one are served by the
other from Redis; a decision recorded through one is seen at once through the other; the
login limit counts attempts on both together. The servers run with CSRF on, as deployed.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from app.extensions import db
from tests import factories as f
from tests.helpers import PASSWORD, csrf_token_from, free_port

pytestmark = pytest.mark.postgres_only

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/3")
PREFIX = f"candor-two-servers-{secrets.token_hex(4)}"
LOGIN_LIMIT = 3
STARTUP_SECONDS = 60
ROOT = Path(__file__).resolve().parents[2]


def _wait_until_up(url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server {url} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url + "/about", timeout=2):  # noqa: S310 - 127.0.0.1
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    raise RuntimeError(f"server {url} did not start within {STARTUP_SECONDS} s")


@pytest.fixture(scope="module")
def redis_store():
    import redis

    store = redis.Redis.from_url(REDIS_URL)
    try:
        store.ping()
    except redis.exceptions.ConnectionError:
        pytest.fail(f"Redis is not reachable at {REDIS_URL} (.ci/run starts it)")
    yield store
    names = list(store.scan_iter(match=f"{PREFIX}*"))
    if names:
        store.delete(*names)


@pytest.fixture(scope="module")
def servers(app, redis_store):
    """Two gunicorn servers (two workers each) on one database and one Redis."""
    url = app.config["SQLALCHEMY_DATABASE_URI"].replace("postgresql+psycopg://", "postgresql://")
    environment = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": "two-servers-" + secrets.token_hex(16),
        "ARCHIVE_KEY": app.config["ARCHIVE_KEY"],
        "REDIS_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": PREFIX,
        "LOGIN_RATE_LIMIT": f"{LOGIN_LIMIT} per minute",
        "CANDOR_ENV": "development",
        "SESSION_COOKIE_SECURE": "0",
        # As behind a load balancer: the client's address comes from X-Forwarded-For.
        "TRUSTED_PROXIES": "1",
    }
    started = []
    try:
        for _ in range(2):
            port = free_port()
            process = subprocess.Popen(  # noqa: S603 - our own command line
                [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}"]
                + ["--timeout", "60", "wsgi:app"],
                cwd=ROOT,
                env=environment,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            started.append(process)
            _wait_until_up(f"http://127.0.0.1:{port}", process)
            started[-1].url = f"http://127.0.0.1:{port}"
        yield [process.url for process in started]
    finally:
        for process in started:
            process.terminate()
        for process in started:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


_addresses = iter(range(2, 250))


class Browser:
    """One person's cookies and address, sent to whichever server is named."""

    def __init__(self) -> None:
        self.address = f"198.51.100.{next(_addresses)}"  # what the load balancer forwards
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()
        )

    def get(self, url: str) -> tuple[int, str]:
        return self._open(urllib.request.Request(url))

    def post(self, url: str, data: dict) -> tuple[int, str]:
        body = urllib.parse.urlencode(data, doseq=True).encode()
        return self._open(urllib.request.Request(url, data=body, method="POST"))

    def _open(self, request) -> tuple[int, str]:
        request.add_header("X-Forwarded-For", self.address)
        try:
            with self.opener.open(request, timeout=30) as reply:
                return reply.status, reply.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def log_in(self, server: str, email: str, password: str = PASSWORD) -> int:
        _, page = self.get(server + "/auth/login")
        status, _ = self.post(
            server + "/auth/login",
            {"email": email, "password": password, "csrf_token": csrf_token_from(page)},
        )
        return status


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture
def closed(app, make_user, make_client):
    lead = make_user("lead")
    team = [make_user("member") for _ in range(3)]
    review = f.open_review(lead, make_client(actor=lead), team)
    for member in team:
        f.submit(review, member)
    f.client_answers(review, lead)
    f.close(review, lead)
    db.session.commit()
    return lead, f.reload(review)


def _own_keys(redis_store) -> list[bytes]:
    return sorted(redis_store.scan_iter(match=f"{PREFIX}:*"))


def test_a_session_made_on_one_server_works_on_the_other(servers, make_user):
    first, second = servers
    member = make_user("member")
    person = Browser()
    assert person.log_in(first, member.email) == 302
    assert person.get(second + "/reviews/")[0] == 200
    assert Browser().get(second + "/reviews/")[0] == 302  # without the cookie: to the login


def test_pages_and_charts_drawn_by_one_server_are_served_by_the_other(servers, closed, redis_store):
    first, second = servers
    lead, review = closed
    for name in _own_keys(redis_store):
        redis_store.delete(name)
    person = Browser()
    assert person.log_in(first, lead.email) == 302
    status, page = person.get(f"{first}/reviews/{review.id}/compare")
    assert status == 200 and "Team and client compared" in page
    (kept,) = _own_keys(redis_store)  # the page's content, in Redis
    # Whatever the store holds is what the other server serves: mark it.
    redis_store.set(kept, b'["Marked", "<p id=\\"from-redis\\">kept by the other server</p>"]')
    status, page = person.get(f"{second}/reviews/{review.id}/compare")
    assert status == 200 and 'id="from-redis"' in page

    chart = f"/graphs/reviews/{review.id}/divergence.svg"
    status, drawn = person.get(first + chart)
    assert status == 200 and drawn.startswith("<?xml")
    (chart_key,) = set(_own_keys(redis_store)) - {kept}
    redis_store.set(chart_key, b"<svg>shared</svg>")
    assert person.get(second + chart) == (200, "<svg>shared</svg>")


def test_a_decision_made_through_one_server_is_seen_at_once_through_the_other(servers, closed):
    first, second = servers
    lead, review = closed
    person = Browser()
    assert person.log_in(first, lead.email) == 302
    assert "Decide" in person.get(f"{second}/reviews/{review.id}/compare")[1]
    _, form = person.get(f"{first}/reviews/{review.id}/decide")
    outcomes = set(re.findall(r'name="(outcome__[a-z_]+)"', form))
    status, _ = person.post(
        f"{first}/reviews/{review.id}/decide",
        {
            **{name: "not_confirmed" for name in outcomes},
            "rationale": "Decided through the first server.",
            "csrf_token": csrf_token_from(form),
            # what the confirmation page posts back (it names the status that follows)
            "confirmed": "1",
            "confirm": "1",
        },
    )
    assert status == 302
    status, page = person.get(f"{second}/reviews/{review.id}/compare")
    assert status == 200 and "This review is decided" in page
    status, archive = person.get(f"{second}/archive/")
    assert status == 200 and review.client.name in archive


def test_the_login_limit_counts_attempts_on_both_servers_together(servers, make_user):
    first, second = servers
    member = make_user("member")
    person = Browser()
    answers = [
        person.log_in(server, member.email, "wrong-password") for server in (first, second, first)
    ]
    assert 429 not in answers  # three tries, spread over both servers: each refused politely
    assert person.log_in(second, member.email) == 429  # the fourth, even right, is limited
    assert person.log_in(first, member.email) == 429
