"""A member's answer refused by the CSRF check in a real browser, in Hungarian: the form
comes back with the notice, every typed value in place, nothing saved; checked by axe
and photographed at 1280 and 390 px (test-artifacts/)."""

from __future__ import annotations

from playwright.sync_api import expect

from app.extensions import db
from app.models import TeamResponseRow
from tests import factories as f
from tests.browser.a11y import expect_accessible
from tests.browser.languages import choose_language, words
from tests.browser.photos import photograph


def test_a_stale_token_brings_the_hungarian_form_back_with_what_was_typed(
    app, page, live_server, make_user, make_client, browser_login, csrf_enabled
):
    lead = make_user("lead", name="Lena Lead")
    team = [make_user("member") for _ in range(3)]
    review = f.open_review(lead, make_client("Nordlys ApS", actor=lead), team)
    key = f.ensure_catalogue().dimensions[0].key
    browser_login(page, live_server, team[0])
    choose_language(page, live_server, "Magyar")
    expect_accessible(page)
    page.goto(f"{live_server}/reviews/{review.id}/answer")
    page.locator(f"input[name='rating__{key}'][value='2']").check()
    page.locator(f"textarea[name='comment__{key}']").fill("Hosszú megjegyzés, kétszer nem írnám le")
    # The token of a session that has since been replaced (a login in another tab).
    page.locator("form.answer-form input[name='csrf_token']").evaluate(
        "field => { field.value = 'stale' }"
    )
    page.locator("input[name='save']").click()

    notice = words(
        app,
        "hu",
        "This page had expired, so nothing was saved. Your answers are kept below: save or "
        "submit again.",
    )
    expect(page.get_by_role("alert").filter(has_text=notice)).to_be_visible()
    assert page.locator(f"textarea[name='comment__{key}']").input_value() == (
        "Hosszú megjegyzés, kétszer nem írnám le"
    )
    expect(page.locator(f"input[name='rating__{key}'][value='2']")).to_be_checked()
    expect_accessible(page)
    photograph(page, "answer-refused-token-hu")
    assert db.session.query(TeamResponseRow).count() == 0

    page.locator("input[name='save']").click()  # the page's own, fresh token
    page.wait_for_load_state()
    expect_accessible(page)
    assert db.session.query(TeamResponseRow).one().status == "draft"
