"""A three-member team a point apart: its comparison page says, in each language, that
luck may explain the likeness, and the details show the chance beside its bar (axe, 1280
and 390 px, test-artifacts/compare-chance-*)."""

from __future__ import annotations

from playwright.sync_api import expect

from app.template_helpers import PERCENT
from tests import factories as f
from tests.browser.a11y import expect_accessible
from tests.browser.languages import LANGUAGES, choose_language, words
from tests.browser.photos import photograph

SENTENCE = (
    "The members rate their own work alike, but so few people can be this alike by luck: "
    "random answers on %(questions)s are as alike %(chance)s %% of the time, and at most "
    "%(bar)s %% is allowed."
)
ROW = "Chance that random answers are as alike on every linked question"


def test_a_likeness_luck_may_explain_is_said_in_each_language(
    app, page, live_server, make_user, make_client, browser_login
):
    lead = make_user("lead", name="Lena Lead")
    team = [make_user("member") for _ in range(3)]
    catalogue = f.ensure_catalogue()
    answers = [(4, 70), (4, 70), (5, 70)]
    client = make_client("Nordlys ApS", actor=lead)
    review, _labels = f.closed_on_followup(lead, client, team, answers, client_rating=5)
    browser_login(page, live_server, lead)
    for language, name in LANGUAGES:
        choose_language(page, live_server, name)
        expect_accessible(page, f"profile, {language}")
        page.goto(f"{live_server}/reviews/{review.id}/compare")
        question = catalogue.localized(language).dimension("invoicing_followup").title
        comma = "," if language != "en" else "."
        sentence = words(
            app,
            language,
            SENTENCE,
            questions=words(app, language, "“%(title)s”", title=question),
            chance=f"23{comma}2",
            bar=f"5{comma}0",
        )
        verdict = page.locator("#verdict-eternal_debtor")
        expect(verdict.get_by_text(sentence)).to_be_visible()
        verdict.locator("details.statistics summary").click()
        row = verdict.locator("tr", has_text=words(app, language, ROW))
        expect(row).to_be_visible()
        # As the language writes a share ("80 %", Hungarian "80%"), on one line.
        cells = [
            words(app, language, PERCENT, number=figure).replace(" ", "\N{NO-BREAK SPACE}")
            for figure in (f"23{comma}2", f"5{comma}0")
        ]
        assert row.locator("td.num").all_inner_texts() == cells  # a figure never wraps
        expect_accessible(page, f"details open, {language}")
        photograph(page, f"compare-chance-{language}")
