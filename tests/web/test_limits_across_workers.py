"""Rate limits and the login throttle count across worker processes when the limiter's
storage is Redis (issue 15), and do not with `memory://` (which is why the README and a
start-up warning insist on a shared store).

Two "workers" are two separate processes, each with its own app and limiter, as gunicorn
runs them. Needs `TEST_REDIS_URL` (`.ci/run` starts Redis and sets it); every run uses a
key prefix of its own and deletes only its own keys.
"""

from __future__ import annotations

import multiprocessing
import os
import uuid

import pytest

TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "")


def _worker(database_url, storage_uri, prefix, requests, results):
    """One worker process: its own app, limiter and storage client."""
    from app import create_app
    from tests.conftest import TEST_CONFIG

    app = create_app(
        {
            **TEST_CONFIG,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "RATELIMIT_STORAGE_URI": storage_uri,
            "RATELIMIT_STORAGE_OPTIONS": {"key_prefix": prefix} if prefix else {},
            "TOKEN_RATE_LIMIT": "6 per minute",
            "LOGIN_FREE_FAILURES": 5,
            "LOGIN_DELAY_MAX_SECONDS": 60,
        }
    )
    http = app.test_client()
    statuses = []
    for method, path, data in requests:
        statuses.append(http.open(path, method=method, data=data).status_code)
    results.put(statuses)


def _in_two_workers(app, storage_uri, prefix, first, second):
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    statuses = []
    for requests in (first, second):  # one after the other, each in its own process
        process = context.Process(
            target=_worker,
            args=(app.config["SQLALCHEMY_DATABASE_URI"], storage_uri, prefix, requests, results),
        )
        process.start()
        statuses.append(results.get(timeout=120))
        process.join(timeout=30)
        assert process.exitcode == 0
    return statuses


@pytest.fixture
def redis_storage():
    if not TEST_REDIS_URL:
        message = "TEST_REDIS_URL is not set (.ci/run starts Redis and sets it)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)  # as the other skip sites: CI never skips what it must run
        pytest.skip(message)
    import redis

    prefix = f"candor-test-{uuid.uuid4().hex}"
    yield TEST_REDIS_URL, prefix
    client = redis.Redis.from_url(TEST_REDIS_URL)
    keys = list(client.scan_iter(f"{prefix}:*"))
    if keys:
        client.delete(*keys)
    client.close()


def _token_requests(count, start):
    return [("GET", f"/respond/guess-{i:040d}", None) for i in range(start, start + count)]


def _wrong_logins(count):
    data = {"email": "target@example.com", "password": "wrong-password"}
    return [("POST", "/auth/login", data)] * count


def test_the_token_limit_counts_across_two_workers_on_redis(app, redis_storage):
    url, prefix = redis_storage
    first, second = _in_two_workers(app, url, prefix, _token_requests(4, 0), _token_requests(4, 4))
    assert first == [404] * 4
    assert second == [404, 404, 429, 429]  # six a minute in all, not six per worker


def test_with_memory_storage_each_worker_counts_alone(app):
    first, second = _in_two_workers(
        app, "memory://", "", _token_requests(4, 0), _token_requests(4, 4)
    )
    assert first == second == [404] * 4  # eight got through a limit of six


def test_the_login_throttle_counts_across_two_workers_on_redis(app, redis_storage):
    url, prefix = redis_storage
    first, second = _in_two_workers(app, url, prefix, _wrong_logins(6), _wrong_logins(2))
    assert first == [400] * 6
    # The other worker's six failures count here: the next failure is the seventh and
    # makes the account wait (alone, this worker would have had five free failures).
    # (If this worker started within the first wait, both are 429: counted across, too.)
    assert second in ([400, 429], [429, 429])


def test_with_memory_storage_the_login_throttle_counts_per_worker(app):
    first, second = _in_two_workers(app, "memory://", "", _wrong_logins(6), _wrong_logins(2))
    assert first == [400] * 6 and second == [400, 400]
