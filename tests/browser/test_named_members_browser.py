"""Thirteen members named overconfident on one question: the verdict's details, opened,
list the ten widest over-ratings and count the other three, in each language (axe, 1280
and 390 px, test-artifacts/compare-named-members-*)."""

from __future__ import annotations

from flask_babel import force_locale
from playwright.sync_api import expect

from app.labels import member_label
from app.template_helpers import MEMBER_ROWS_SHOWN
from tests import factories as f
from tests.browser.a11y import expect_accessible
from tests.browser.languages import LANGUAGES, choose_language, plural_words
from tests.browser.photos import photograph

# (rating, confidence) on the one linked question; the client rates it 1.
TEAM = [(5, 100), (5, 90), (5, 90), (4, 100), (4, 100), (4, 90)] + [(3, 90)] * 7
MORE = (
    "…and %(num)d more rating by a named member, no further above the client than those listed.",
    "…and %(num)d more ratings by named members, none further above the client than those listed.",
)


def test_the_details_list_ten_members_and_count_the_rest(
    app, page, live_server, make_user, make_client, browser_login
):
    lead = make_user("lead", name="Lena Lead")
    team = [make_user("member") for _ in TEAM]
    f.ensure_catalogue()
    review, labels = f.closed_on_followup(
        lead, make_client("Nordlys ApS", actor=lead), team, TEAM, client_rating=1
    )
    browser_login(page, live_server, lead)
    for language, name in LANGUAGES:
        choose_language(page, live_server, name)
        expect_accessible(page, f"profile, {language}")
        page.goto(f"{live_server}/reviews/{review.id}/compare")
        verdict = page.locator("#verdict-eternal_debtor")
        verdict.locator("details.statistics summary").click()
        table = verdict.locator("table.conditions")
        with app.test_request_context(), force_locale(language):
            worded = [member_label(label) for label in labels]
        # Each member shown has one row; the sentence above the table names all thirteen.
        rows = sum(table.locator("tr", has_text=word).count() for word in worded)
        assert rows == MEMBER_ROWS_SHOWN
        more = plural_words(app, language, *MORE, len(TEAM) - MEMBER_ROWS_SHOWN)
        expect(table.get_by_text(more)).to_be_visible()
        expect_accessible(page, f"details open, {language}")
        photograph(page, f"compare-named-members-{language}")
