"""The lead decides on the verdicts the decide page showed. The page carries the version
of the answer rows it was drawn from (`seen_rows`) through the confirmation step; if the
rows were edited behind the app's back in between (after close the app writes none),
nothing is recorded, the lead is told, and the page is drawn again from the rows as they
are. On SQLite and PostgreSQL."""

from __future__ import annotations

import re

import pytest

from app.extensions import db
from app.models import Decision, Review, utcnow
from app.services.decisions import DecisionInput, decide_review
from app.services.errors import AnswersChangedSinceShown
from app.services.row_versions import closed_rows_version
from tests import factories as f
from tests.archive_factory import tamper_from_outside
from tests.web.conftest import CONFIRM_STEP

pytestmark = pytest.mark.usefixtures("empty_store")

TOLD = "changed after this page was drawn, outside Candor"
DECISION = {"outcome__muddy": "not_confirmed", "rationale": "The brief was never agreed."}


@pytest.fixture
def closed(client, login, review_team):
    lead, members, _, agency_client = review_team
    review = f.open_review(lead, agency_client, members)
    for member in members:
        f.submit(review, member, f.full_response(rating=4, choices={"muddy": "No goals."}))
    f.client_answers(review, lead, rating=4)
    f.close(review, lead)
    login(client, lead)
    return review, f"/reviews/{review.id}/decide"


def seen_on(html: str) -> str:
    return re.search(r'name="seen_rows" type="hidden" value="([^"]*)"', html).group(1)


def edit_answers_behind_the_apps_back(review) -> None:
    tamper_from_outside(
        "UPDATE team_answers SET rating = 1 WHERE response_id IN "
        "(SELECT id FROM team_responses WHERE review_id = :id)",
        id=review.id,
    )


def decided(review) -> bool:
    db.session.expire_all()
    return db.session.get(Review, review.id).state == "decided"


def test_the_decide_page_carries_the_version_of_the_rows_it_shows(client, closed):
    review, url = closed
    seen = seen_on(client.get(url).get_data(as_text=True))
    assert seen and seen == closed_rows_version(review.id)


def test_unchanged_rows_decide_through_the_confirmation(client, closed):
    review, url = closed
    seen = seen_on(client.get(url).get_data(as_text=True))
    step = client.post(url, data={**DECISION, "seen_rows": seen})
    assert step.status_code == 200 and seen_on(step.get_data(as_text=True)) == seen
    done = client.post(url, data={**DECISION, "seen_rows": seen, **CONFIRM_STEP})
    assert done.status_code == 302 and decided(review)


def test_rows_edited_before_the_first_submit_are_told_and_nothing_is_recorded(client, closed):
    review, url = closed
    seen = seen_on(client.get(url).get_data(as_text=True))
    edit_answers_behind_the_apps_back(review)
    refused = client.post(url, data={**DECISION, "seen_rows": seen})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400 and html.count(TOLD) == 1
    assert "Confirm your decision" not in html and not decided(review)
    now = seen_on(html)
    assert now and now != seen  # the page drawn again carries the rows as they are
    assert client.post(url, data={**DECISION, "seen_rows": now}).status_code == 200


def test_rows_edited_on_the_confirmation_page_are_told_and_nothing_is_recorded(client, closed):
    review, url = closed
    seen = seen_on(client.get(url).get_data(as_text=True))
    assert client.post(url, data={**DECISION, "seen_rows": seen}).status_code == 200
    edit_answers_behind_the_apps_back(review)
    refused = client.post(url, data={**DECISION, "seen_rows": seen, **CONFIRM_STEP})
    assert refused.status_code == 400 and refused.get_data(as_text=True).count(TOLD) == 1
    assert not decided(review) and db.session.query(Decision).count() == 0


def test_another_refusal_with_stale_rows_still_tells_once(client, closed):
    review, url = closed
    seen = seen_on(client.get(url).get_data(as_text=True))
    edit_answers_behind_the_apps_back(review)
    refused = client.post(url, data={**DECISION, "rationale": "", "seen_rows": seen})
    assert refused.status_code == 400 and refused.get_data(as_text=True).count(TOLD) == 1


@pytest.mark.parametrize("forged", ["0" * 64, "<script>alert(1)</script>", "x\u202ey"])
def test_a_forged_version_is_refused_as_changed(client, closed, forged):
    review, url = closed
    refused = client.post(url, data={**DECISION, "seen_rows": forged, **CONFIRM_STEP})
    assert refused.status_code == 400 and TOLD in refused.get_data(as_text=True)
    assert "<script>alert(1)" not in refused.get_data(as_text=True) and not decided(review)


def test_an_overlong_version_is_a_refused_field(client, closed):
    review, url = closed
    refused = client.post(url, data={**DECISION, "seen_rows": "a" * 5000, **CONFIRM_STEP})
    assert refused.status_code == 400 and not decided(review)


def test_the_service_refuses_inside_its_transaction(closed):
    review, _url = closed
    seen = closed_rows_version(review.id)
    edit_answers_behind_the_apps_back(review)
    given = DecisionInput({"muddy": "not_confirmed"}, "Rationale.", seen_rows=seen)
    lead = db.session.get(Review, review.id).lead
    with pytest.raises(AnswersChangedSinceShown):
        decide_review(review.id, lead, given, utcnow())
    assert not decided(review) and db.session.query(Decision).count() == 0
