"""The whole review in a real browser: open, two members answer, the client answers in a
fresh context through its link, the lead closes, reads the verdict and decides."""

from flask_babel import force_locale
from playwright.sync_api import expect

from app.extensions import db
from app.messages import SERVICE_WORDINGS
from app.models import Client, Decision, Review
from tests import factories as f
from tests.browser.a11y import expect_accessible
from tests.browser.languages import choose_language
from tests.browser.photos import photograph
from tests.browser.test_charts_browser import closed_review


def _answer(page, base, review_id, rating, category=None):
    page.goto(f"{base}/reviews/{review_id}/answer")
    catalogue = f.ensure_catalogue()
    for d in catalogue.dimensions:
        page.locator(f"input[name='rating__{d.key}'][value='{rating}']").check()
        page.locator(f"input[name='confidence__{d.key}'][value='80']").check()
    page.locator("input[name='complexity'][value='2']").check()
    if category:
        page.locator(f"input[name='choose__{category}']").check()
        page.locator(f"textarea[name='evidence__{category}']").fill("Three invoices unpaid.")
    page.get_by_label("I have checked my answer.").check()
    page.get_by_role("button", name="Submit (locks your answer)").click()
    expect(page.get_by_text("Your answer is submitted and locked.")).to_be_visible()
    expect_accessible(page)


def test_lead_members_and_client_complete_a_review(
    page, new_page, live_server, make_user, make_client, browser_login
):
    f.ensure_catalogue()
    lead = make_user("lead", name="Lea Lead")
    anna = make_user("member", name="Anna Member")
    bo = make_user("member", name="Bo Member")
    cy = make_user("member", name="Cy Member")
    agency_client = make_client("Slowpay Oy", actor=lead)

    browser_login(page, live_server, lead)
    page.goto(f"{live_server}/reviews/new")
    page.get_by_label("Client").select_option(label="Slowpay Oy")
    page.get_by_label("What happened, in neutral words").fill("Invoices are 90 days late.")
    page.get_by_label("Anna Member", exact=False).check()
    page.get_by_label("Bo Member", exact=False).check()
    page.get_by_label("Cy Member", exact=False).check()
    page.get_by_label("Quorum").fill("3")
    page.get_by_role("button", name="Open the review").click()
    expect(page.get_by_text("Review opened.")).to_be_visible()
    expect_accessible(page)
    review_id = int(page.url.rstrip("/").split("/")[-1])

    page.get_by_role("button", name="Create a client link").click()
    link = page.locator("#client-link").input_value()
    expect_accessible(page)
    assert "/respond/" in link
    token_path = link.split("candor.test", 1)[-1]

    for member in (anna, bo, cy):
        member_page = new_page()
        browser_login(member_page, live_server, member)
        expect(member_page.get_by_role("link", name="Review of Slowpay Oy")).to_be_visible()
        _answer(member_page, live_server, review_id, 4, "eternal_debtor")

    client_page = new_page()  # the client: a fresh browser, no account
    client_page.goto(f"{live_server}{token_path}")
    expect(client_page.get_by_role("heading", name="How did we work for you?")).to_be_visible()
    for d in f.ensure_catalogue().dimensions:
        client_page.locator(f"input[name='rating__{d.key}'][value='4']").check()
    client_page.get_by_role("button", name="Check my answers").click()
    # expect() waits for the check step to load: a loaded CI machine was once still on
    # the answer form when a bare is_visible() looked.
    expect(
        client_page.get_by_text(
            f"You answered all {len(f.ensure_catalogue().dimensions)} statements."
        )
    ).to_be_visible()
    expect_accessible(client_page)
    client_page.get_by_role("button", name="Send my answers").click()
    expect(client_page.get_by_role("heading", name="Thank you")).to_be_visible()
    expect_accessible(client_page)

    page.goto(f"{live_server}/reviews/{review_id}")
    expect(page.get_by_text("Received through the private link")).to_be_visible()
    page.get_by_label("I understand: closing freezes every answer").check()
    page.get_by_role("button", name="Close the review").click()
    expect(page.get_by_role("heading", name="Team and client compared: Slowpay Oy")).to_be_visible()
    expect_accessible(page)
    verdict = page.locator("#verdict-eternal_debtor")
    expect(verdict.get_by_text("may be confirmed", exact=True)).to_be_visible()
    # One plain sentence per condition; the statistics wait behind "Details".
    expect(verdict.get_by_text("The members rate their own work alike")).to_be_visible()
    expect(verdict.get_by_text("r_wg compares the members")).not_to_be_visible()
    verdict.get_by_text("Details: the numbers behind each condition").click()
    expect(verdict.get_by_text("r_wg compares the members")).to_be_visible()
    expect_accessible(page, "Details opened")

    page.get_by_role("link", name="Decide").first.click()
    page.wait_for_url("**/decide")
    expect_accessible(page)
    page.locator("input[name='outcome__eternal_debtor'][value='confirmed']").check()
    page.get_by_label("Rationale").fill(
        "Both members chose it; the client agrees our invoicing was fine."
    )
    page.get_by_role("button", name="Record the decision").click()
    # The confirmation step names what follows before anything is written.
    expect(page.get_by_text("Confirming sets Slowpay Oy to “Blacklisted”.")).to_be_visible()
    expect_accessible(page, "decision confirmation")
    assert db.session.query(Decision).count() == 0
    page.get_by_role("button", name="Confirm and record the decision").click()
    expect(page.get_by_text("Decision recorded in the archive.")).to_be_visible()
    expect_accessible(page)
    assert page.dialogs == []

    db.session.expire_all()
    assert db.session.query(Decision).one().record["outcomes"] == {"eternal_debtor": "confirmed"}
    assert db.session.get(Client, agency_client.id).status == "blacklisted"


def test_the_open_review_form_with_errors_marks_the_fields_accessibly(
    page, live_server, make_user, make_client, browser_login
):
    lead = make_user("lead")
    make_client("Slowpay Oy", actor=lead)
    browser_login(page, live_server, lead)
    page.goto(f"{live_server}/reviews/new")
    page.get_by_role("button", name="Open the review").click()
    expect(page.get_by_text("Please correct the marked fields; nothing was saved.")).to_be_visible()
    expect_accessible(page, "form with errors")
    conflict = page.get_by_label("What happened, in neutral words")
    assert conflict.get_attribute("aria-invalid") == "true"
    for described_by in conflict.get_attribute("aria-describedby").split():
        assert page.locator(f"#{described_by}").count() == 1
    # Fields without an error or a hint carry no aria attribute at all, never "None".
    assert page.locator("[aria-invalid='None'], [aria-describedby='None']").count() == 0


def test_a_client_held_by_an_undecided_review_is_refused_in_each_language(
    app, page, live_server, make_user, make_client, browser_login
):
    """Opening a review of a client whose closed review is not decided: the form is shown
    again with the message naming that review, in the reader's language (axe, 1280 and
    390 px)."""
    lead, held = closed_review(make_user, make_client)
    client_name = held.client.name
    browser_login(page, live_server, lead)
    for language, name in (("en", "English"), ("da", "Dansk"), ("hu", "Magyar")):
        choose_language(page, live_server, name)
        expect_accessible(page, f"profile, {language}")
        page.goto(f"{live_server}/reviews/{held.id}")  # the review says it holds the client
        assert page.locator("p.notice[role='note']").count() == 1
        photograph(page, f"review-closed-lead-{language}")
        page.goto(f"{live_server}/reviews/new")
        page.locator("select[name='client']").select_option(label=client_name)
        page.locator("textarea[name='conflict']").fill("Another try with a smaller team.")
        for box in page.locator("input[name='participants']").all()[:3]:
            box.check()
        page.locator("input[name='quorum']").fill("3")
        page.locator("main input[name='submit'], main button[name='submit']").click()
        with app.test_request_context(), force_locale(language):
            held_message = SERVICE_WORDINGS["review_awaiting_decision"](
                {"client": client_name, "review_id": held.id, "closed_at": held.closed_at}, None
            )
        page.get_by_text(held_message).wait_for()
        assert page.locator("html").get_attribute("lang") == language
        link = page.locator("p.holding-link a")
        assert link.get_attribute("href") == f"/reviews/{held.id}"
        expect(link).to_be_visible()
        photograph(page, f"open-held-by-closed-{language}")
    assert f.reload(held).state == "closed" and db.session.query(Review).count() == 1
