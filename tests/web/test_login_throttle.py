"""Failed logins per account slow down, but can never lock the owner out (issue 15)."""

import time

import pytest

from app.auth.throttle import DEVICE_COOKIE
from app.extensions import limiter
from tests.helpers import PASSWORD


@pytest.fixture
def throttled(app):
    """The deployment's defaults for the account throttle, a short wait for the tests."""
    app.config.update(LOGIN_FREE_FAILURES=5, LOGIN_DELAY_MAX_SECONDS=1)
    limiter.reset()
    yield app
    app.config.update(LOGIN_FREE_FAILURES=10000, LOGIN_DELAY_MAX_SECONDS=60)
    limiter.reset()


def _attempt(app, email, password, address, http=None):
    http = http or app.test_client()
    return http.post(
        "/auth/login",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def _ten_failures_from_ten_addresses(app, email):
    return [_attempt(app, email, "wrong-password", f"10.0.0.{i}").status_code for i in range(10)]


def test_failures_across_addresses_make_the_account_wait(throttled, make_user):
    user = make_user()
    statuses = _ten_failures_from_ten_addresses(throttled, user.email)
    # Five free failures, then each further attempt finds the account waiting.
    assert statuses[:6] == [400] * 6
    assert 429 in statuses[6:]
    waiting = _attempt(throttled, user.email, "wrong-password", "10.0.0.99")
    assert waiting.status_code == 429
    assert int(waiting.headers["Retry-After"]) >= 1
    assert b"Too many failed attempts for this account" in waiting.data


def test_the_owner_on_a_known_device_logs_in_right_after_ten_failures_elsewhere(
    throttled, make_user, login
):
    user = make_user()
    owner = throttled.test_client()
    login(owner, user)
    assert owner.get_cookie(DEVICE_COOKIE, path="/auth/") is not None
    owner.post("/auth/logout")
    _ten_failures_from_ten_addresses(throttled, user.email)
    response = _attempt(throttled, user.email, PASSWORD, "192.0.2.7", http=owner)
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    assert owner.get("/").status_code == 200


def test_the_owner_on_a_new_device_gets_in_after_a_short_wait(throttled, make_user):
    user = make_user()
    _ten_failures_from_ten_addresses(throttled, user.email)
    fresh = throttled.test_client()
    first = _attempt(throttled, user.email, PASSWORD, "192.0.2.8", http=fresh)
    assert first.status_code == 429  # the password is not even checked while waiting
    time.sleep(int(first.headers["Retry-After"]) + 0.2)
    second = _attempt(throttled, user.email, PASSWORD, "192.0.2.8", http=fresh)
    assert second.status_code == 302


def test_a_device_cookie_of_another_account_or_forged_counts_for_nothing(
    throttled, make_user, login
):
    owner, stranger = make_user(), make_user()
    http = throttled.test_client()
    login(http, stranger)
    http.post("/auth/logout")
    _ten_failures_from_ten_addresses(throttled, owner.email)
    assert _attempt(throttled, owner.email, PASSWORD, "192.0.2.9", http=http).status_code == 429
    forged = throttled.test_client()
    forged.set_cookie(DEVICE_COOKIE, "eyJkIjoieCJ9.forged", path="/auth/")
    assert _attempt(throttled, owner.email, PASSWORD, "192.0.2.9", http=forged).status_code == 429


def test_unknown_addresses_wait_exactly_like_real_accounts(throttled, make_user):
    real = make_user()
    for email in (real.email, "nobody@example.com"):
        statuses = _ten_failures_from_ten_addresses(throttled, email)
        assert statuses[:6] == [400] * 6 and 429 in statuses[6:], email


def test_a_success_clears_the_accounts_failures(throttled, make_user):
    user = make_user()
    for i in range(4):
        _attempt(throttled, user.email, "wrong-password", f"10.1.0.{i}")
    assert _attempt(throttled, user.email, PASSWORD, "10.1.0.9").status_code == 302
    statuses = [
        _attempt(throttled, user.email, "wrong-password", f"10.2.0.{i}").status_code
        for i in range(5)
    ]
    assert statuses == [400] * 5
