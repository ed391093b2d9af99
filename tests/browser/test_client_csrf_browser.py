"""The client's page in a real browser, in Danish, after the browser lost its session
cookie while the page was open: "Check my answers" brings the form back with the notice
and every typed value, nothing is stored and the link is unused; the page's own fresh
token then reaches the check step. Checked by axe, photographed at 1280 and 390 px
(test-artifacts/)."""

from __future__ import annotations

from playwright.sync_api import expect

from app.extensions import db
from app.models import ClientLink, ClientResponseRow, utcnow
from app.services import client_links
from tests import factories as f
from tests.browser.a11y import expect_accessible
from tests.browser.languages import words
from tests.browser.photos import photograph

TYPED = "Leveret tre uger for sent, og fakturaen blev fordoblet"


def test_a_lost_session_brings_the_danish_form_back_with_what_was_typed(
    app, page, live_server, make_user, make_client, csrf_enabled
):
    lead = make_user("lead")
    team = [make_user("member") for _ in range(3)]
    agency_client = make_client("Nordlys ApS", actor=lead, language="da")
    review = f.open_review(lead, agency_client, team)
    _, token = client_links.issue_link(review.id, lead, utcnow(), send_email=False)
    key = f.ensure_catalogue().dimensions[0].key

    page.goto(f"{live_server}/respond/{token}")
    page.locator(f"input[name='rating__{key}'][value='2']").check()
    page.locator("textarea[name='comment']").fill(TYPED)
    page.context.clear_cookies()  # the session the page's token belongs to is gone
    page.get_by_role("button", name=words(app, "da", "Check my answers")).click()

    notice = words(
        app,
        "da",
        "This page had expired, so nothing was sent. Your answers are kept below: check "
        "them and send them again.",
    )
    expect(page.get_by_role("alert").filter(has_text=notice)).to_be_visible()
    assert page.locator("textarea[name='comment']").input_value() == TYPED
    expect(page.locator(f"input[name='rating__{key}'][value='2']")).to_be_checked()
    expect_accessible(page)
    photograph(page, "client-refused-token-da")
    db.session.expire_all()
    assert db.session.query(ClientResponseRow).count() == 0
    assert db.session.query(ClientLink).one().used_at is None

    page.get_by_role("button", name=words(app, "da", "Check my answers")).click()
    heading = words(app, "da", "Check your answers before sending")
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    expect_accessible(page)
