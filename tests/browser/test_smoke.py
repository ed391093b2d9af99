from playwright.sync_api import expect

from tests.browser.a11y import expect_accessible


def test_a_member_logs_in_sees_the_dashboard_and_logs_out(
    page, live_server, make_user, browser_login
):
    user = make_user("member", name="Bea Browser")
    browser_login(page, live_server, user)
    expect(page.get_by_role("heading", name="Hello, Bea Browser")).to_be_visible()
    assert page.get_by_role("link", name="Users").count() == 0
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(f"{live_server}/auth/login")
    expect(page.get_by_text("You are logged out.")).to_be_visible()
    expect_accessible(page)
    page.goto(f"{live_server}/")
    assert "/auth/login" in page.url


def test_an_admin_sees_the_users_link(page, live_server, make_user, browser_login):
    browser_login(page, live_server, make_user("admin"))
    page.get_by_role("link", name="Users").click()
    expect(page.get_by_role("heading", name="Users")).to_be_visible()
    expect_accessible(page)


def test_a_wrong_password_shows_the_message_in_the_page(page, live_server, make_user):
    user = make_user()
    page.goto(f"{live_server}/auth/login")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("Invalid e-mail or password.")).to_be_visible()
    expect_accessible(page)


def test_the_about_page_reached_from_the_footer(page, live_server):
    page.goto(f"{live_server}/auth/login")
    page.get_by_role("link", name="How the agreement rule works").click()
    page.wait_for_url(f"{live_server}/about")
    expect(page.get_by_role("heading", name="How Candor decides")).to_be_visible()
    expect_accessible(page)
