"""The client's page in a real browser: Enter never sends (with JavaScript it does nothing;
without, it only reaches the check step), the check step counts what was answered, the
answers survive "Change my answers", only "Send my answers" spends the link, and Back after
sending says the answers were received. Screenshots at 1280 and 390 px go to
test-artifacts/client-page/ for a person to look at."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.models import ClientAnswerRow, ClientLink, ClientResponseRow, utcnow
from app.services import client_links
from tests import factories as f
from tests.browser.a11y import expect_accessible

SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "client-page"


@pytest.fixture
def client_link(make_user, make_client):
    catalogue = f.ensure_catalogue()
    lead = make_user("lead")
    members = [make_user("member") for _ in range(3)]
    review = f.open_review(lead, make_client("Enter Key AS", actor=lead), members)
    _, token = client_links.issue_link(review.id, lead, utcnow(), send_email=False)
    return catalogue, token


def nothing_stored() -> bool:
    db.session.expire_all()
    return (
        db.session.query(ClientResponseRow).count() == 0
        and db.session.query(ClientLink).one().used_at is None
    )


def radio(page, dimension, value):
    return page.locator(f"input[name='rating__{dimension.key}'][value='{value}']")


def test_enter_never_sends_and_the_check_step_counts_the_answers(page, live_server, client_link):
    catalogue, token = client_link
    first, second = catalogue.dimensions[0], catalogue.dimensions[1]
    total = len(catalogue.dimensions)

    page.goto(f"{live_server}/respond/{token}")
    radio(page, second, "skip").check()
    radio(page, first, "4").check()
    radio(page, first, "4").press("Enter")
    page.get_by_label("Comment (optional)").first.fill("Fine.")
    page.get_by_label("Comment (optional)").first.press("Enter")  # a new line, not a send
    page.wait_for_timeout(300)  # a submit would have navigated by now
    expect(page.get_by_role("heading", name="How did we work for you?")).to_be_visible()
    expect(radio(page, first, "4")).to_be_checked()
    assert nothing_stored()

    page.get_by_role("button", name="Check my answers").click()
    expect(page.get_by_role("heading", name="Check your answers before sending")).to_be_visible()
    expect_accessible(page)
    expect(
        page.get_by_text(
            f"You answered 1 of {total} statements; the {total - 1} statements you skipped "
            "count as “cannot judge”."
        )
    ).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text=second.client_statement)).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text=f"Statement 2 of {total}")).to_be_visible()
    assert nothing_stored()

    page.get_by_role("button", name="Change my answers").click()
    expect_accessible(page)
    expect(radio(page, first, "4")).to_be_checked()
    expect(radio(page, second, "skip")).to_be_checked()
    radio(page, second, "2").check()
    page.get_by_role("button", name="Check my answers").click()
    expect(page.get_by_text(f"You answered 2 of {total} statements;")).to_be_visible()
    expect_accessible(page)

    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    expect_accessible(page)
    assert page.dialogs == []
    db.session.expire_all()
    ratings = {a.dimension_key: a.rating for a in db.session.query(ClientAnswerRow).all()}
    assert ratings == {first.key: 4, second.key: 2}
    assert db.session.query(ClientLink).one().used_at is not None


def test_without_javascript_enter_only_reaches_the_check_step(browser, live_server, client_link):
    catalogue, token = client_link
    # axe needs JavaScript, so this page is not checked: the same pages are, with it on.
    context = browser.new_context(java_script_enabled=False)
    context.set_default_timeout(10_000)
    try:
        page = context.new_page()
        page.goto(f"{live_server}/respond/{token}")
        radio(page, catalogue.dimensions[0], "5").check()
        radio(page, catalogue.dimensions[0], "5").press("Enter")
        page.wait_for_load_state("load")
        expect(
            page.get_by_role("heading", name="Check your answers before sending")
        ).to_be_visible()
        assert nothing_stored()
    finally:
        context.close()


def test_back_after_sending_says_the_answers_were_received(page, live_server, client_link):
    catalogue, token = client_link
    page.goto(f"{live_server}/respond/{token}")
    radio(page, catalogue.dimensions[0], "3").check()
    page.get_by_role("button", name="Check my answers").click()
    expect_accessible(page)
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    expect_accessible(page)

    page.go_back()  # the check step's entry: a plain visit of the link now, not a re-post
    expect(page.get_by_role("heading", name="Your answers were received")).to_be_visible()
    assert page.get_by_text("Nothing was saved from this visit").count() == 0
    page.go_back()  # the form's entry
    expect(page.get_by_role("heading", name="Your answers were received")).to_be_visible()
    page.go_forward()
    page.go_forward()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    db.session.expire_all()
    assert db.session.query(ClientResponseRow).count() == 1


@pytest.mark.parametrize("width", [1280, 390])
def test_screenshots_of_the_clients_page(browser, live_server, client_link, width, request):
    from tests.browser import a11y

    catalogue, token = client_link
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.set_default_timeout(10_000)
    try:
        page = context.new_page()
        a11y.watch(page)
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.goto(f"{live_server}/respond/{token}")
        overflow = "document.documentElement.scrollWidth > window.innerWidth"
        assert not page.evaluate(overflow), "the form scrolls sideways"
        page.screenshot(path=SHOTS / f"form-{width}.png", full_page=False)
        for n, d in enumerate(catalogue.dimensions[:9]):
            radio(page, d, str(1 + n % 5)).check()
        page.get_by_role("button", name="Check my answers").click()
        expect_accessible(page)
        assert not page.evaluate(overflow), "the check step scrolls sideways"
        page.screenshot(path=SHOTS / f"check-{width}.png", full_page=True)
        page.get_by_role("button", name="Send my answers").click()
        expect_accessible(page)
        page.screenshot(path=SHOTS / f"thanks-{width}.png", full_page=True)
        page.go_back()
        page.screenshot(path=SHOTS / f"received-{width}.png", full_page=True)
        a11y.check_unchecked(page)
    finally:
        context.close()
