"""The charts in a real browser: the SVG renders, and the comparison page shows it."""

from __future__ import annotations

from playwright.sync_api import expect

from tests import factories as f


def closed_review(make_user, make_client):
    lead = make_user("lead", name="Lena Lead")
    members = [make_user("member") for _ in range(3)]
    review = f.open_review(lead, make_client(actor=lead), members)
    for index, member in enumerate(members):
        f.submit(
            review,
            member,
            f.full_response(rating=3 + index % 3, confidence=90, choices={"muddy": "evidence"}),
        )
    f.client_answers(review, lead, rating=2)
    f.close(review, lead)
    return lead, review


def test_the_lead_opens_the_divergence_svg_and_it_renders(
    page, live_server, make_user, make_client, browser_login
):
    lead, review = closed_review(make_user, make_client)
    browser_login(page, live_server, lead)
    response = page.goto(f"{live_server}/graphs/reviews/{review.id}/divergence.svg")
    assert response.status == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    svg = page.locator("svg").first
    expect(svg).to_be_visible()
    box = svg.bounding_box()
    assert box["width"] > 300 and box["height"] > 200
    expect(page.get_by_text("Overconfidence flag").first).to_be_visible()


def test_a_chart_opened_on_its_own_keeps_its_styles_under_the_csp(
    page, live_server, make_user, make_client, browser_login
):
    # matplotlib styles the SVG inline; under the pages' CSP (no inline style) everything
    # fell back to black fill. The SVG's own policy allows inline style and nothing else.
    lead, review = closed_review(make_user, make_client)
    browser_login(page, live_server, lead)
    refused = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    response = page.goto(f"{live_server}/graphs/reviews/{review.id}/divergence.svg")
    background = page.evaluate("getComputedStyle(document.querySelector('#patch_1 path')).fill")
    assert background == "rgb(255, 255, 255)"
    assert refused == []
    assert "style-src 'unsafe-inline'" in response.headers["content-security-policy"]
    assert "script" not in response.headers["content-security-policy"]


def test_the_comparison_page_shows_the_charts_with_alt_text(
    page, live_server, make_user, make_client, browser_login
):
    lead, review = closed_review(make_user, make_client)
    browser_login(page, live_server, lead)
    page.goto(f"{live_server}/reviews/{review.id}/compare")
    chart = page.locator("#chart-divergence img.chart")
    chart.scroll_into_view_if_needed()
    expect(chart).to_be_visible()
    # naturalWidth > 0 only when the browser actually loaded and decoded the SVG.
    page.wait_for_function("document.querySelector('#chart-divergence img.chart').naturalWidth > 0")
    assert "overconfidence flag" in chart.get_attribute("alt")
    assert page.get_by_role("link", name="Download PNG").count() == 3
    expect(page.locator("table#table-divergence caption")).to_be_visible()


def test_a_member_not_on_the_review_is_refused_the_chart_in_the_browser(
    page, live_server, make_user, make_client, browser_login
):
    _, review = closed_review(make_user, make_client)
    browser_login(page, live_server, make_user("member"))
    response = page.goto(f"{live_server}/graphs/reviews/{review.id}/divergence.svg")
    assert response.status == 404  # the same as a review that does not exist
