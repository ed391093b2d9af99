"""The client's page in a real browser: Enter in a radio button only reaches the check
step, the answers survive "Change my answers", and only "Send my answers" spends the link."""

from app.extensions import db
from app.models import ClientAnswerRow, ClientLink, ClientResponseRow, utcnow
from app.services import client_links
from tests import factories as f
from tests.browser.a11y import expect_accessible


def test_enter_in_a_radio_shows_the_check_step_and_sends_nothing(
    page, live_server, make_user, make_client
):
    catalogue = f.ensure_catalogue()
    lead = make_user("lead")
    members = [make_user("member") for _ in range(3)]
    review = f.open_review(lead, make_client("Enter Key AS", actor=lead), members)
    _, token = client_links.issue_link(review.id, lead, utcnow(), send_email=False)
    first, second = catalogue.dimensions[0], catalogue.dimensions[1]

    page.goto(f"{live_server}/respond/{token}")
    page.locator(f"input[name='rating__{second.key}'][value='skip']").check()
    radio = page.locator(f"input[name='rating__{first.key}'][value='4']")
    radio.check()
    radio.press("Enter")

    assert page.get_by_role("heading", name="Check your answers before sending").is_visible()
    expect_accessible(page)
    total = len(catalogue.dimensions)
    assert page.get_by_text(
        f"You answered 1 of {total} statements; the {total - 1} you skipped count as not assessed."
    ).is_visible()
    assert page.get_by_role("listitem").filter(has_text=second.client_statement).is_visible()
    db.session.expire_all()
    assert db.session.query(ClientResponseRow).count() == 0
    assert db.session.query(ClientLink).one().used_at is None

    page.get_by_role("button", name="Change my answers").click()
    expect_accessible(page)
    assert page.locator(f"input[name='rating__{first.key}'][value='4']").is_checked()
    assert page.locator(f"input[name='rating__{second.key}'][value='skip']").is_checked()
    page.locator(f"input[name='rating__{second.key}'][value='2']").check()
    page.locator(f"input[name='rating__{second.key}'][value='2']").press("Enter")
    assert page.get_by_text(f"You answered 2 of {total} statements;").is_visible()
    expect_accessible(page)

    page.get_by_role("button", name="Send my answers").click()
    assert page.get_by_role("heading", name="Thank you").is_visible()
    expect_accessible(page)
    assert page.dialogs == []
    db.session.expire_all()
    ratings = {a.dimension_key: a.rating for a in db.session.query(ClientAnswerRow).all()}
    assert ratings == {first.key: 4, second.key: 2}
    assert db.session.query(ClientLink).one().used_at is not None
