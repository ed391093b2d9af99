"""What an operator sees in the log (issue 18): one structured line per CSRF rejection,
rate-limit refusal, failed login and server error, never a password or a token."""

from __future__ import annotations

import logging
import re

import pytest

from app.extensions import limiter
from app.models import utcnow
from app.services import client_links, review_lists
from tests import factories as f
from tests.helpers import PASSWORD


@pytest.fixture
def logged(caplog):
    caplog.set_level(logging.INFO, logger="candor")

    def lines(event: str) -> list[str]:
        return [
            r.getMessage()
            for r in caplog.records
            if r.name.startswith("candor.") and r.getMessage().startswith(f"event={event} ")
        ]

    return lines


@pytest.fixture
def csrf_client(app):
    app.config["WTF_CSRF_ENABLED"] = True
    yield app.test_client()
    app.config["WTF_CSRF_ENABLED"] = False


def test_a_csrf_rejection_is_logged_with_route_and_reason(csrf_client, make_user, logged):
    user = make_user("lead")
    response = csrf_client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    (line,) = logged("csrf_rejected")
    assert "route=/auth/login" in line and "method=POST" in line
    assert 'reason="The CSRF token is missing."' in line
    assert PASSWORD not in line


def test_a_rejection_on_a_client_page_logs_the_route_not_the_token(
    csrf_client, logged, review_team
):
    # A live link: the page checks the token only once the link is known to be usable.
    lead, members, _, agency_client = review_team
    review = f.open_review(lead, agency_client, members)
    _, token = client_links.issue_link(review.id, lead, utcnow(), send_email=False)
    assert csrf_client.post(f"/respond/{token}", data={}).status_code == 400
    (line,) = logged("csrf_rejected")
    assert "route=/respond/<token>" in line and token not in line


def test_a_failed_login_is_logged_with_the_address_typed_never_the_password(
    client, make_user, logged
):
    user = make_user()
    client.post("/auth/login", data={"email": user.email, "password": "wrong-password-123"})
    (line,) = logged("login_failed")
    assert f"email={user.email}" in line and "address=127.0.0.1" in line
    assert "wrong-password-123" not in line and PASSWORD not in line


def test_a_rate_limit_refusal_is_logged(app, client, logged):
    app.config["LOGIN_RATE_LIMIT"] = "2 per minute"
    limiter.reset()
    try:
        statuses = [
            client.post("/auth/login", data={"email": "a@b.example", "password": "x"}).status_code
            for _ in range(3)
        ]
    finally:
        app.config["LOGIN_RATE_LIMIT"] = "10000 per minute"
        limiter.reset()
    assert statuses[-1] == 429
    (line,) = logged("rate_limited")
    assert "route=/auth/login" in line and "limit=" in line


def test_a_server_error_is_logged_with_the_user_and_route(
    app, client, login, make_user, logged, monkeypatch
):
    user = make_user("lead")
    login(client, user)

    def broken(*_args, **_kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(review_lists, "reviews_visible_to", broken)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    logging.getLogger("flask.app").disabled = True  # its traceback is expected here
    try:
        response = client.get("/reviews/")
    finally:
        logging.getLogger("flask.app").disabled = False
    assert response.status_code == 500
    (line,) = logged("server_error")
    assert "route=/reviews/" in line and "error=RuntimeError" in line
    assert f"user_id={user.id}" in line


def test_log_lines_quote_values_with_spaces_and_cannot_be_split(app, logged):
    from app import logs

    with app.test_request_context("/x"):
        logs.event(logs.SECURITY, "probe", note='two words\nevent=forged "q"')
    (line,) = logged("probe")
    assert "\n" not in line
    assert re.search(r'note="two words event=forged \\"q\\""', line)


def test_the_favicon_is_served(client):
    response = client.get("/favicon.ico")
    response.close()
    assert response.status_code == 200
    assert response.mimetype == "image/vnd.microsoft.icon"
