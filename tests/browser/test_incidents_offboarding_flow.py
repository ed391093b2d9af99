"""The whole issue-17 path in a real browser, every page checked by axe: a lead logs
incidents, opens a review with them attached, a member sees them only after submitting,
the lead reads the handling advice, decides, opens the offboarding kit, completes it
and prints the closing report."""

from playwright.sync_api import expect

from app.extensions import db
from app.models import ClosingRecord, Decision, Review
from app.services.archive_verify import verify_archive
from tests import factories as f
from tests.browser.a11y import expect_accessible


def _log_incident(page, base, client_id, kind, text, amount=None, invoice=None):
    page.goto(f"{base}/incidents/{client_id}/new")
    page.get_by_label("Kind").select_option(kind)
    page.get_by_label("What happened").fill(text)
    if amount:
        page.get_by_label("Amount (for payments)").fill(amount)
        page.get_by_label("Currency").fill("EUR")
        page.get_by_label("Invoice reference").fill(invoice)
    page.get_by_role("button", name="Record the entry").click()
    expect(page.get_by_text("Entry recorded in the client's log.")).to_be_visible()
    expect_accessible(page)


def test_log_open_decide_offboard_and_print(
    page, new_page, live_server, make_user, make_client, browser_login
):
    catalogue = f.ensure_catalogue()
    lead = make_user("lead", name="Lea Lead")
    members = [make_user("member", name=f"{n} Member") for n in ("Anna", "Bo", "Cy")]
    slowpay = make_client("Slowpay Oy", actor=lead)

    browser_login(page, live_server, lead)
    _log_incident(
        page, live_server, slowpay.id, "late_payment", "Invoice 90 days late.", "4200.00", "INV-7"
    )
    _log_incident(page, live_server, slowpay.id, "unanswered_question", "No reply on the brief.")

    page.goto(f"{live_server}/clients/{slowpay.id}")
    expect_accessible(page)
    page.get_by_role("link", name="Open a review with entries from the log").click()
    expect_accessible(page)
    page.get_by_label("What happened, in neutral words").fill("Invoices are 90 days late.")
    for member in members:
        page.get_by_label(member.name, exact=False).check()
    page.get_by_label("Quorum").fill("3")
    page.get_by_label("Invoice 90 days late.", exact=False).check()
    page.get_by_label("No reply on the brief.", exact=False).check()
    page.get_by_role("button", name="Open the review").click()
    expect(page.get_by_text("Review opened.")).to_be_visible()
    expect_accessible(page)
    review_id = int(page.url.rstrip("/").split("/")[-1])

    anna = new_page()
    browser_login(anna, live_server, members[0])
    anna.goto(f"{live_server}/reviews/{review_id}")
    assert anna.get_by_text("Invoice 90 days late.").count() == 0
    expect_accessible(anna)
    review = db.session.get(Review, review_id)
    for member in members:
        f.submit(review, member, f.full_response(choices={"pay_eventually": "Paid late."}))
    anna.reload()
    expect(anna.get_by_text("Invoice 90 days late.")).to_be_visible()
    expect_accessible(anna, "after submitting")

    f.client_answers(review, lead)
    f.close(review, lead)
    page.goto(f"{live_server}/reviews/{review_id}/compare")
    expect(
        page.get_by_role("heading", name="How to handle each category the team chose")
    ).to_be_visible()
    first_step = catalogue.category("pay_eventually").handling[0]
    expect(page.get_by_text(first_step).first).to_be_visible()
    expect_accessible(page)
    page.get_by_role("link", name="Decide").first.click()
    page.wait_for_url("**/decide")
    expect_accessible(page)
    page.locator("input[name='outcome__pay_eventually'][value='confirmed']").check()
    page.get_by_label("Rationale").fill("Every member saw the late payments.")
    page.get_by_role("button", name="Record the decision").click()
    page.wait_for_url("**/decide")  # the confirmation step names the status that follows
    expect_accessible(page, "confirmation")
    page.get_by_role("button", name="Confirm and record the decision").click()
    expect(page.get_by_text("Decision recorded in the archive.")).to_be_visible()
    expect(page.get_by_text("Documented incidents sealed with this decision")).to_be_visible()
    expect_accessible(page)
    db.session.expire_all()
    sealed = db.session.query(Decision).one().record["incidents"]
    assert [e["text"] for e in sealed] == ["Invoice 90 days late.", "No reply on the brief."]

    page.goto(f"{live_server}/clients/{slowpay.id}")
    expect(page.get_by_text("Handling advice for the confirmed categories")).to_be_visible()
    expect_accessible(page)
    page.get_by_role("link", name="Draft: Face-saving payment reminder").click()
    assert "INV-7" in page.get_by_label("Message").input_value()
    expect_accessible(page)
    page.get_by_role("button", name="I sent it: log it").click()
    expect(page.get_by_text("Logged as sent.")).to_be_visible()
    expect_accessible(page)

    page.goto(f"{live_server}/clients/{slowpay.id}")
    page.get_by_role("link", name="Open the offboarding kit").click()
    expect_accessible(page)
    page.get_by_role("button", name="Open the offboarding kit").click()
    expect(page.get_by_text("Offboarding kit opened.")).to_be_visible()
    expect_accessible(page)
    page.get_by_label("Account", exact=True).fill("Slowpay on Facebook")
    page.get_by_label("Platform").fill("Facebook")
    page.get_by_role("button", name="Add the account").click()
    expect_accessible(page)
    page.get_by_label("Yes, everything is paid").check()
    page.get_by_role("button", name="Record").click()
    expect(page.get_by_text("Payments recorded.")).to_be_visible()
    expect_accessible(page)
    page.get_by_role("button", name="Mark as handed over").click()
    expect(page.get_by_text("Account marked as handed over.")).to_be_visible()
    expect_accessible(page)
    page.get_by_label("Work done and results").fill("Two campaigns; 40 % more leads.")
    page.get_by_role("button", name="Save the work done and redraft the report").click()
    assert "Two campaigns" in page.get_by_label("Closing report").input_value()
    assert "Invoice 90 days late." in page.get_by_label("Closing report").input_value()
    expect_accessible(page)
    page.get_by_label("Reason statement").fill("We cannot meet your needs: you did not pay.")
    page.get_by_role("button", name="Save the reason").click()
    expect_accessible(page)
    page.get_by_label("Final status").select_option("ended_unpaid")
    page.get_by_role("button", name="Set the final status").click()
    expect_accessible(page)
    page.get_by_role("button", name="Complete and seal").click()
    expect(page.get_by_text("Kit completed")).to_be_visible()
    expect_accessible(page)

    page.get_by_role("link", name="Printable closing report").click()
    expect(page.get_by_text("Two campaigns; 40 % more leads.")).to_be_visible()
    expect_accessible(page)
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).not_to_be_visible()
    expect(page.get_by_text("Two campaigns; 40 % more leads.")).to_be_visible()
    page.emulate_media(media="screen")
    assert db.session.query(ClosingRecord).count() == 1
    assert verify_archive().ok
