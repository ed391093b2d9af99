"""Candor in Danish and Hungarian in a real browser: a member's answer form in Danish, a
submit in each language and what the member is then told, and a decided review's
archive page in all three languages, each page checked by axe and
photographed at 1280 and 390 px (test-artifacts/, looked at by a person)."""

from __future__ import annotations

from playwright.sync_api import expect

from app.domain.catalogue_default import default_catalogue
from app.extensions import db
from app.models import TeamResponseRow, User
from tests import factories as f
from tests.archive_factory import at, decide, tamper
from tests.browser.a11y import expect_accessible
from tests.browser.languages import choose_language, words
from tests.browser.photos import photograph


def _decided(make_user, make_client):
    """A lead and its decision on a client of three members' review."""
    lead = make_user("lead", name="Lena Lead")
    team = [make_user("member") for _ in range(3)]
    customer = make_client("Nordlys ApS", actor=lead)
    return lead, decide(
        lead, team, customer, when=at("2026-03-05"), outcomes={"muddy": "confirmed"}
    )


def test_a_decided_reviews_archive_page_in_english_danish_and_hungarian(
    app, page, live_server, make_user, make_client, browser_login
):
    lead, decision = _decided(make_user, make_client)
    browser_login(page, live_server, lead)
    catalogue = default_catalogue()
    for language, name in (("da", "Dansk"), ("hu", "Magyar"), ("en", "English")):
        choose_language(page, live_server, name)
        expect_accessible(page)
        page.goto(f"{live_server}/archive/{decision.id}")
        assert page.locator("html").get_attribute("lang") == language
        verifies = words(app, language, "This record verifies.")
        expect(page.get_by_text(verifies)).to_be_visible()
        muddy = catalogue.localized(language).category("muddy").name
        expect(page.get_by_text(muddy).first).to_be_visible()
        if language != "en":
            expect(page.get_by_text("This record verifies.")).not_to_be_visible()
        expect_accessible(page)
        photograph(page, f"archive-{language}")


def test_a_record_that_does_not_verify_says_why_in_each_language(
    app, page, live_server, make_user, make_client, browser_login
):
    lead, decision = _decided(make_user, make_client)
    tamper("UPDATE decisions SET rationale = 'Quietly rewritten.' WHERE id = :id", id=decision.id)
    browser_login(page, live_server, lead)
    seal = (
        "Decision %(number)s was changed after it was recorded: its seal no longer matches "
        "its row and record (who decided, the client, the outcome, the rationale or the "
        "record itself)."
    )
    for language, name in (("da", "Dansk"), ("hu", "Magyar"), ("en", "English")):
        choose_language(page, live_server, name)
        expect_accessible(page)
        page.goto(f"{live_server}/archive/{decision.id}")
        alert = page.get_by_role("alert")
        assert words(app, language, "This record does NOT verify.") in alert.inner_text()
        assert words(app, language, seal, number=decision.sequence) in alert.inner_text()
        expect_accessible(page)
        photograph(page, f"archive-broken-{language}")


def test_a_members_answer_form_in_danish(
    app, page, live_server, make_user, make_client, browser_login
):
    f.ensure_catalogue()
    lead = make_user("lead")
    members = [make_user("member") for _ in range(3)]
    member = members[0]
    db.session.get(User, member.id).language = "da"
    db.session.commit()
    review = f.open_review(lead, make_client("Nordlys ApS", actor=lead), members)
    browser_login(page, live_server, member)
    page.goto(f"{live_server}/reviews/{review.id}/answer")
    assert page.locator("html").get_attribute("lang") == "da"
    danish = default_catalogue().localized("da")
    for dimension in danish.dimensions[:3]:
        expect(page.get_by_text(dimension.team_statement).first).to_be_visible()
    assert page.get_by_text(default_catalogue().dimensions[0].team_statement).count() == 0
    assert page.get_by_text("Strongly disagree").count() == 0  # the scale in Danish too
    expect(page.get_by_text(words(app, "da", "Strongly disagree")).first).to_be_visible()
    save = words(app, "da", "Save draft")
    expect(page.get_by_role("button", name=save).first).to_be_visible()
    expect_accessible(page)
    photograph(page, "answer-da")


def test_a_hungarian_client_switches_to_danish_and_back_keeping_its_answers(
    app, page, live_server, make_user, make_client
):
    from app.models import Client, ClientLink, utcnow
    from app.services import client_links

    f.ensure_catalogue()
    lead = make_user("lead")
    members = [make_user("member") for _ in range(3)]
    customer = make_client("Magyar Kft", actor=lead)
    db.session.get(Client, customer.id).language = "hu"
    db.session.commit()
    review = f.open_review(lead, customer, members)
    _, token = client_links.issue_link(review.id, lead, utcnow(), send_email=False)
    catalogue = default_catalogue()
    first, second = catalogue.dimensions[0], catalogue.dimensions[1]

    page.goto(f"{live_server}/respond/{token}")
    assert page.locator("html").get_attribute("lang") == "hu"
    hungarian = catalogue.localized("hu")
    expect(page.get_by_text(hungarian.dimensions[0].client_statement)).to_be_visible()
    expect_accessible(page)
    photograph(page, "client-hu")

    page.locator(f"input[name='rating__{first.key}'][value='4']").check()
    page.locator(f"input[name='rating__{second.key}'][value='skip']").check()
    comment = page.locator("textarea[name='comment']")
    comment.fill("Összességében rendben, æøå is.")
    page.get_by_role("button", name="Dansk").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "da"
    expect(
        page.get_by_text(catalogue.localized("da").dimensions[0].client_statement)
    ).to_be_visible()
    expect(page.locator(f"input[name='rating__{first.key}'][value='4']")).to_be_checked()
    expect(page.locator(f"input[name='rating__{second.key}'][value='skip']")).to_be_checked()
    assert comment.input_value() == "Összességében rendben, æøå is."
    expect_accessible(page)
    photograph(page, "client-da")

    page.get_by_role("button", name="Magyar").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "hu"
    expect(page.locator(f"input[name='rating__{first.key}'][value='4']")).to_be_checked()
    assert comment.input_value() == "Összességében rendben, æøå is."
    db.session.expire_all()
    assert db.session.query(ClientLink).one().used_at is None  # a switch saves nothing
    expect_accessible(page)


def test_a_member_submits_in_each_language_and_is_told_so_in_it(
    app, page, live_server, make_user, make_client, browser_login
):
    # The usual submit is saved before the review is read for a page (answer_views.
    # _save_at_once): what the member then sees must be as before, in their language.
    catalogue = f.ensure_catalogue()
    lead = make_user("lead")
    members = [make_user("member") for _ in range(3)]
    review = f.open_review(lead, make_client("Nordlys ApS", actor=lead), members)
    for member, language in zip(members, ("en", "da", "hu"), strict=True):
        db.session.get(User, member.id).language = language
        db.session.commit()
        page.context.clear_cookies()
        browser_login(page, live_server, member)
        page.goto(f"{live_server}/reviews/{review.id}/answer")
        for d in catalogue.dimensions:
            page.locator(f"input[name='rating__{d.key}'][value='4']").check()
            page.locator(f"input[name='confidence__{d.key}'][value='80']").check()
        page.locator("input[name='complexity'][value='2']").check()
        page.locator("input[name='confirm_submit']").check()
        page.get_by_role("button", name=words(app, language, "Submit (locks your answer)")).click()
        page.wait_for_url(f"{live_server}/reviews/{review.id}?submitted=1")
        assert page.locator("html").get_attribute("lang") == language
        thanks = words(app, language, "Thank you. Your answer is submitted and locked.")
        expect(page.get_by_text(thanks)).to_be_visible()
        expect_accessible(page)
        photograph(page, f"answer-submitted-{language}")
    assert db.session.query(TeamResponseRow).filter_by(status="submitted").count() == 3
