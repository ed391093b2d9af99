"""Candor over HTTPS in a real browser (issue 18): gunicorn in production mode with a
self-signed certificate made here, Chromium told to accept it.

Over HTTPS Flask-WTF checks that a form's POST carries a Referer from this site. The
client's page once sent `Referrer-Policy: no-referrer`, so every client answer over HTTPS
was a 400 while every HTTP test passed: this runs the client's whole path, and the
member's answer form, the way a deployment serves them.
"""

from __future__ import annotations

import os
import ssl
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.models import ClientLink, ClientResponseRow, TeamResponseRow
from tests import factories as f
from tests.browser.a11y import expect_accessible
from tests.browser.conftest import _watched
from tests.browser.test_review_flow import _answer
from tests.helpers import PASSWORD, free_port

ROOT = Path(__file__).resolve().parents[2]


def _self_signed(directory: Path) -> tuple[Path, Path]:
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return cert, key


def _wait_until_up(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    insecure = ssl.create_default_context()
    insecure.check_hostname = False
    insecure.verify_mode = ssl.CERT_NONE
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/auth/login", context=insecure, timeout=2) as r:  # noqa: S310 # nosec B310
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer over HTTPS in time")


@pytest.fixture(scope="module")
def https_server(app, tmp_path_factory):
    """gunicorn serving the test database over TLS, configured as in production."""
    directory = tmp_path_factory.mktemp("tls")
    cert, key = _self_signed(directory)
    port = free_port()
    base = f"https://127.0.0.1:{port}"
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(directory),
        "CANDOR_ENV": "production",
        "SECRET_KEY": "https-test-" + "k" * 40,
        "ARCHIVE_KEY": "https-test-archive-" + "a" * 40,
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "BASE_URL": base,
    }
    log = open(directory / "gunicorn.log", "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(  # noqa: S603 # nosec B603
        [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}",
         "--certfile", str(cert), "--keyfile", str(key), "--access-logfile", "-", "wsgi:app"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        _wait_until_up(base, process)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture
def https_context(browser, request):
    """A fresh browser that accepts the test's self-signed certificate."""
    contexts = []

    def make(origin: str | None = None):
        context = browser.new_context(ignore_https_errors=True)
        context.set_default_timeout(15_000)
        if origin:
            context.grant_permissions(["clipboard-read", "clipboard-write"], origin=origin)
        contexts.append(context)
        return _watched(request, context.new_page())

    yield make
    for context in contexts:
        context.close()


def _log_in(page, base, user):
    page.goto(f"{base}/auth/login")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base}/")
    expect_accessible(page)


def test_the_client_and_a_member_answer_over_https(
    https_server, https_context, make_user, make_client
):
    base = https_server
    catalogue = f.ensure_catalogue()
    lead = make_user("lead", name="Tess Lead")
    members = [make_user("member", name=f"Member {n}") for n in ("A", "B", "C")]
    review = f.open_review(lead, make_client("Secure Oy", actor=lead), members)

    # The lead issues the link over HTTPS and copies it with the button.
    lead_page = https_context(origin=base)
    _log_in(lead_page, base, lead)
    lead_page.goto(f"{base}/reviews/{review.id}")
    lead_page.get_by_role("button", name="Create a client link").click()
    lead_page.wait_for_url(f"{base}/reviews/{review.id}/links/*")
    expect_accessible(lead_page)
    link = lead_page.locator("#client-link").input_value()
    assert link.startswith(f"{base}/respond/")
    assert lead_page.locator("#base-url-warning").count() == 0
    lead_page.get_by_role("button", name="Copy the link").click()
    # The clipboard answers asynchronously: wait for the status line rather than sample it.
    lead_page.get_by_text("Copied.").wait_for(state="visible", timeout=5000)
    assert lead_page.evaluate("navigator.clipboard.readText()") == link

    # The client, in a browser of its own: open, check, send.
    client_page = https_context()
    opened = client_page.goto(link)
    assert opened.status == 200
    assert opened.headers["referrer-policy"] == "same-origin"
    assert "max-age=" in opened.headers["strict-transport-security"]
    answered = catalogue.dimensions[:3]
    for dimension in answered:
        client_page.locator(f"input[name='rating__{dimension.key}'][value='4']").check()
    client_page.get_by_role("button", name="Check my answers").click()
    expect(client_page.get_by_text(f"You answered {len(answered)} of")).to_be_visible()
    expect_accessible(client_page)
    client_page.get_by_role("button", name="Send my answers").click()
    expect(client_page.get_by_role("heading", name="Thank you")).to_be_visible()
    expect_accessible(client_page)

    # A member answers the long form over HTTPS too.
    member_page = https_context()
    _log_in(member_page, base, members[0])
    _answer(member_page, base, review.id, 4)

    db.session.expire_all()
    stored = db.session.query(ClientResponseRow).one()
    assert {a.dimension_key for a in stored.answers} == {d.key for d in answered}
    assert db.session.query(ClientLink).one().used_at is not None
    assert db.session.query(TeamResponseRow).filter_by(status="submitted").count() == 1
