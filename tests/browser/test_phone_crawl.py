"""Every page of the demo agency a person can reach by following links, on a phone
(390 px): axe finds nothing serious and no page is wider than the screen. An admin (who
sees every review, decision, client and user) and a member walk the links from the
dashboard, in English and then in Danish and Hungarian, where the longest words are."""

from __future__ import annotations

from collections import deque
from urllib.parse import urlsplit

import pytest

from app.services.demo import DEMO_PASSWORD, load_demo
from tests.browser.a11y import expect_accessible
from tests.browser.languages import choose_language

PHONE = {"width": 390, "height": 844}
MAX_PAGES = 120
# Not pages to look at: files, a way out, and anything that acts on a GET.
SKIPPED = (".csv", ".json", ".png", ".svg", "/auth/logout", "/static/", "/respond/")
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


def _links(page) -> set[str]:
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    found = set()
    for href in hrefs:
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue  # another site, or mail
        if any(skip in parts.path for skip in SKIPPED):
            continue
        found.add(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def _crawl(page, base: str) -> tuple[int, list[str]]:
    """Breadth first from the dashboard; returns how many pages it looked at and those
    that are wider than the phone."""
    seen, queue, too_wide, looked = {"/"}, deque(["/"]), [], 0
    while queue and len(seen) <= MAX_PAGES:
        path = queue.popleft()
        reply = page.goto(base + path)
        assert reply is not None and reply.status < 500, (path, reply and reply.status)
        expect_accessible(page, f"390 px, {path}")
        looked += 1
        if page.evaluate(OVERFLOW) > 0:
            too_wide.append(f"{path}: {page.evaluate(OVERFLOW)} px")
        for link in sorted(_links(page) - seen):
            seen.add(link)
            queue.append(link)
    return looked, too_wide


# At least: an admin reaches every review, decision, client, user and kit (88 pages when
# written); a member its own reviews, the decisions of reviews it took part in (49).
@pytest.mark.parametrize(
    ("email", "at_least"), [("admin@demo.candor", 80), ("anna@demo.candor", 40)]
)
def test_every_demo_page_fits_a_phone_and_passes_axe(app, page, live_server, email, at_least):
    with app.app_context():
        load_demo()
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server}/auth/login")
    page.locator("input[name='email']").fill(email)
    page.locator("input[name='password']").fill(DEMO_PASSWORD)
    page.locator("main button[type='submit'], main input[type='submit']").first.click()
    page.wait_for_url(f"{live_server}/")
    expect_accessible(page, "after logging in")
    looked, too_wide = _crawl(page, live_server)
    assert looked >= at_least  # a crawl that stopped early proves nothing
    for name in ("Dansk", "Magyar"):
        choose_language(page, live_server, name)
        expect_accessible(page, name)
        again, wide = _crawl(page, live_server)
        assert again == looked  # the same pages in every language
        too_wide += [f"{name} {entry}" for entry in wide]
    assert too_wide == []
