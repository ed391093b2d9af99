"""The archive in a real browser: filter the list, open a decision, see its sealed record."""

from playwright.sync_api import expect

from tests.archive_factory import at, decide
from tests.browser.a11y import expect_accessible


def test_a_lead_filters_the_archive_and_opens_a_decision(
    page, live_server, make_user, make_client, browser_login
):
    lead = make_user("lead", name="Lena Lead")
    team = [make_user("member") for _ in range(3)]
    acme = make_client("Acme Widgets", actor=lead)
    bolt = make_client("Bolt Media", actor=lead)
    decide(
        lead,
        team,
        acme,
        when=at("2026-01-10"),
        outcomes={"muddy": "confirmed"},
        rationale="The brief was never agreed in writing.",
        conflict="Months of vague goals.",
    )
    decide(lead, team, bolt, when=at("2026-02-10"), rationale="Nothing to confirm here.")

    browser_login(page, live_server, lead)
    page.get_by_role("link", name="Archive").click()
    page.wait_for_url(f"{live_server}/archive/")
    expect(page.get_by_text("2 decisions found.")).to_be_visible()
    expect_accessible(page)

    page.get_by_label("Client").select_option(label="Acme Widgets")
    page.get_by_label("Outcome").select_option(label="Confirmed")
    page.get_by_role("button", name="Show decisions").click()
    page.wait_for_url("**/archive/?**")
    expect(page.get_by_text("1 decision found.")).to_be_visible()
    expect_accessible(page)
    rows = page.locator("table.archive-list tbody tr")
    assert rows.count() == 1 and "Acme Widgets" in rows.first.inner_text()

    rows.first.get_by_role("link").click()
    page.wait_for_url("**/archive/*")
    expect(page.get_by_role("heading", name="Decision #1 on Acme Widgets")).to_be_visible()
    expect(page.get_by_text("This record verifies.")).to_be_visible()
    expect(page.get_by_text("The brief was never agreed in writing.")).to_be_visible()
    expect(page.get_by_text("Months of vague goals.")).to_be_visible()
    chart = page.locator("img.chart").first
    assert chart.evaluate("img => img.complete && img.naturalWidth > 0")
    expect_accessible(page)
    assert page.dialogs == []


def test_a_bad_date_in_the_filter_shows_a_message_not_an_error(
    page, live_server, make_user, browser_login
):
    lead = make_user("lead")
    browser_login(page, live_server, lead)
    page.goto(f"{live_server}/archive/?date_from=2026-13-45")
    expect(page.get_by_text("Some filters are not valid")).to_be_visible()
    expect(page.get_by_text("Not a valid date value.")).to_be_visible()
