"""The member's form, the comparison on a phone and the confirmation pages in Chromium,
each checked by axe (tests/browser/a11y.py) and photographed at 1280 and 390 px wide under
test-artifacts/ (git-ignored) for a person to look at."""

from flask_babel import force_locale
from playwright.sync_api import expect

from tests import factories as f
from tests.browser.a11y import expect_accessible
from tests.browser.photos import photograph
from tests.browser.test_charts_browser import closed_review


def _member_on_open_review(make_user, make_client):
    lead = make_user("lead")
    members = [make_user("member", name=f"Member {n}") for n in range(3)]
    review = f.open_review(lead, make_client(actor=lead), members)
    return members[0], review


def test_the_member_form_links_every_missing_item_and_ticks_a_category_on_evidence(
    page, live_server, make_user, make_client, browser_login
):
    member, review = _member_on_open_review(make_user, make_client)
    catalogue = f.ensure_catalogue()
    browser_login(page, live_server, member)
    page.goto(f"{live_server}/reviews/{review.id}/answer")
    first = catalogue.dimensions[0]
    # Progress moves when a statement has both a rating and a confidence.
    total = len(catalogue.dimensions)
    expect(page.get_by_text(f"0 of {total} statements answered")).to_be_visible()
    page.locator(f"input[name='rating__{first.key}'][value='4']").check()
    page.locator(f"input[name='confidence__{first.key}'][value='70']").check()
    expect(page.get_by_text(f"1 of {total} statements answered")).to_be_visible()
    # Typing evidence ticks the category in the same fieldset.
    box = page.locator("input[name='choose__muddy']")
    expect(box).not_to_be_checked()
    page.locator("textarea[name='evidence__muddy']").fill("The brief changed every week.")
    expect(box).to_be_checked()
    # The save bar stays in reach at the bottom of the screen while scrolling.
    page.mouse.wheel(0, 3000)
    bar = page.locator(".save-bar").bounding_box()
    assert bar is not None and bar["y"] + bar["height"] <= 900 + 1
    photograph(page, "member-form")

    page.get_by_role("button", name="Submit (locks your answer)").click()
    page.wait_for_selector("#problems")
    expect_accessible(page, "answer form with every problem listed")
    problems = page.locator("#problems a")
    # Everything missing at once: every other rating and confidence, the complexity and
    # the confirmation box; the first statement and the evidence are kept.
    assert problems.count() == 2 * (total - 1) + 2
    assert page.locator("textarea[name='evidence__muddy']").input_value().startswith("The brief")
    target = catalogue.dimensions[1]
    page.locator(f"#problems a[href='#confidence__{target.key}-0']").click()
    focused = page.evaluate("document.activeElement.id")
    assert focused == f"confidence__{target.key}-0"
    assert page.locator(f"#{focused}").get_attribute("aria-invalid") == "true"
    assert (
        page.locator(f"input[name='rating__{first.key}']").first.get_attribute("aria-invalid")
        is None
    )
    assert page.locator("[aria-invalid='None'], [aria-describedby='None']").count() == 0
    photograph(page, "member-form-problems")


def test_the_comparison_is_usable_390_px_wide_with_verdicts_first(
    page, live_server, make_user, make_client, browser_login
):
    lead, review = closed_review(make_user, make_client)
    browser_login(page, live_server, lead)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server}/reviews/{review.id}/compare")
    headings = page.locator("main h2").all_inner_texts()
    assert headings.index("Verdicts") < headings.index("Charts") < headings.index("Per question")
    # One table of the numbers: the chart's own copy is not shown again.
    assert page.locator("table#table-divergence").count() == 1
    assert page.locator("table.chart-data#table-divergence").count() == 0
    # Nothing sticks out sideways; the client, gap and flag of each question are on screen.
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    row = page.locator("table#table-divergence tbody tr").first
    for label in ("Client", "Gap", "Flag"):
        cell = row.locator(f"td[data-label='{label}']")
        cell.scroll_into_view_if_needed()
        box = cell.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390 + 1
    photograph(page, "comparison")


def test_the_confirmation_pages_name_what_follows(
    page, live_server, make_user, make_client, browser_login
):
    lead, review = closed_review(make_user, make_client)
    browser_login(page, live_server, lead)
    page.goto(f"{live_server}/reviews/{review.id}/decide")
    page.locator("input[name='outcome__muddy'][value='not_confirmed']").check()
    page.get_by_label("Rationale").fill("The client's view does not support ours.")
    page.get_by_label("If nothing is confirmed, mark the client as cleared").check()
    page.get_by_role("button", name="Record the decision").click()
    page.wait_for_selector("text=Confirming sets")
    expect_accessible(page, "decision confirmation")
    expect(page.get_by_text("to “Cleared”")).to_be_visible()
    photograph(page, "decide-confirm")
    page.get_by_role("button", name="Change the decision").click()
    page.wait_for_selector("textarea[name='rationale']")
    expect_accessible(page, "decision form again")
    assert page.get_by_label("Rationale").input_value().startswith("The client's view")


def test_closing_asks_for_a_ticked_box(page, live_server, make_user, make_client, browser_login):
    lead = make_user("lead")
    members = [make_user("member") for _ in range(3)]
    review = f.open_review(lead, make_client(actor=lead), members)
    for member in members:
        f.submit(review, member)
    f.client_answers(review, lead)  # a used link: its table holds nothing to focus
    browser_login(page, live_server, lead)
    page.goto(f"{live_server}/reviews/{review.id}")
    photograph(page, "review-detail-lead")
    checkbox = page.get_by_label("I understand: closing freezes every answer")
    box = checkbox.bounding_box()
    assert box is not None and box["width"] >= 24 and box["height"] >= 24
    checkbox.check()
    page.get_by_role("button", name="Close the review").click()
    page.wait_for_url(f"**/reviews/{review.id}/compare")
    expect_accessible(page)


def test_answers_edited_before_confirm_record_nothing_and_say_so_in_each_language(
    app, page, live_server, make_user, make_client, browser_login
):
    """An edit behind the app's back between the decide page and Confirm: nothing is
    recorded, the lead is told above the page drawn again, in the reader's language."""
    from app.extensions import db
    from app.messages import SERVICE_WORDINGS
    from app.models import Decision
    from tests.archive_factory import tamper_from_outside
    from tests.browser.languages import choose_language

    lead, review = closed_review(make_user, make_client)
    browser_login(page, live_server, lead)
    told = SERVICE_WORDINGS["answers_changed_since_shown"]
    for step, (language, name) in enumerate((("en", "English"), ("da", "Dansk"), ("hu", "Magyar"))):
        choose_language(page, live_server, name)
        expect_accessible(page, f"profile, {language}")
        page.goto(f"{live_server}/reviews/{review.id}/decide")
        expect_accessible(page, f"decide page, {language}")
        page.locator("input[name='outcome__muddy'][value='not_confirmed']").check()
        page.locator("textarea[name='rationale']").fill("The client's view does not support ours.")
        tamper_from_outside(
            "UPDATE team_answers SET comment = :text WHERE response_id IN "
            "(SELECT id FROM team_responses WHERE review_id = :id)",
            id=review.id,
            text=f"Edited outside, {step}.",
        )
        page.locator("button[name='submit'], input[name='submit']").click()
        with app.test_request_context(), force_locale(language):
            expected = told({}, None)
        page.get_by_text(expected).wait_for()
        assert page.locator("html").get_attribute("lang") == language
        photograph(page, f"decide-rows-changed-{language}")
        assert f.reload(review).state == "closed"
    assert db.session.query(Decision).count() == 0
