"""A live Candor server in a thread and Playwright driving Debian's Chromium.

Outside CI a machine without Chromium skips these tests with the reason; in CI
(CI=true) a missing browser fails the run instead, so a green CI always includes them.

Every page these fixtures hand out runs axe-core on each document it loads: see
tests/browser/a11y.py for how, what fails a test and what is only reported. A test calls
`expect_accessible(page)` after a click or key press that loads a new page.
"""

from __future__ import annotations

import os
import shutil
import threading

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from tests.browser import a11y

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
LAUNCH_ARGS = [
    "--disable-background-networking",
    "--disable-component-update",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
]
# One patience for every wait: a locator's actions and `expect` (5 s by default) alike. A
# loaded CI machine can take seconds to answer a submit and draw the next page.
WAIT_MS = 10_000
expect.set_options(timeout=WAIT_MS)


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


_WATCHED = pytest.StashKey[list]()


def _watched(request, page):
    a11y.watch(page)
    request.node.stash.setdefault(_WATCHED, []).append(page)
    return page


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    # After a test body that passed: axe on each page's final document if not yet checked,
    # and a failure for any document that was loaded and left without a check. It runs in
    # the call phase (not in fixture teardown), so a finding is a FAILED test, not an ERROR.
    result = yield
    for page in item.stash.get(_WATCHED, []):
        a11y.check_unchecked(page)
    return result


def pytest_terminal_summary(terminalreporter):
    if not a11y.minor_findings:
        return
    terminalreporter.section("axe-core: moderate and minor findings (not failing)")
    for rule, impact, path, target, help_text in sorted(a11y.minor_findings):
        terminalreporter.write_line(f"[{impact}] {rule} on {path}: {target} - {help_text}")


@pytest.fixture(scope="session")
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        message = f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM, args=LAUNCH_ARGS, headless=True
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser, request):
    context = browser.new_context()
    context.set_default_timeout(WAIT_MS)
    dialogs: list[str] = []
    page = _watched(request, context.new_page())
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.dialogs = dialogs
    yield page
    context.close()


@pytest.fixture
def new_page(browser, request):
    """A factory for extra, isolated browser contexts (another person, another device)."""
    contexts = []

    def make():
        context = browser.new_context()
        context.set_default_timeout(WAIT_MS)
        contexts.append(context)
        return _watched(request, context.new_page())

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def browser_login():
    from tests.helpers import PASSWORD

    def do_login(page, base_url: str, user, password: str = PASSWORD):
        page.goto(f"{base_url}/auth/login")
        page.get_by_label("E-mail").fill(user.email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(f"{base_url}/")
        a11y.expect_accessible(page)

    return do_login
