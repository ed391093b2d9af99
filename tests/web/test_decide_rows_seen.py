"""The lead decides on the verdicts the decide page showed. The page carries the version
of the answer rows it was drawn from (`seen_rows`) through the confirmation step; if the
rows were edited behind the app's back in between (after close the app writes none),
nothing is recorded, the lead is told, and the page is drawn again from the rows as they
are. On SQLite and PostgreSQL."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from app.extensions import db
from app.models import Decision, Review, utcnow
from app.services import decisions
from app.services.decisions import DecisionInput, decide_review
from app.services.errors import AnswersChangedSinceShown
from app.services.review_data import answers_match
from app.services.row_versions import closed_rows_version
from tests import factories as f
from tests.archive_factory import stored_record, tamper_from_outside
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


# Each of the decision's reads, in the order it makes them: an edit may land before any.
DECISION_READS = ["results_for", "raw_answer_rows", "sealed_entries"]


@pytest.mark.parametrize("read", DECISION_READS)
def test_an_edit_landing_while_the_decision_reads_is_never_sealed(closed, monkeypatch, read):
    """No page version given (a caller that showed none): the decision still rests on one
    set of rows. On PostgreSQL (READ COMMITTED) an edit another connection commits between
    two of the decision's statements would be read by the later ones only; the record would
    seal results of one set of rows beside the digest of another. It is refused instead.
    On SQLite the decision holds the write lock: the edit cannot land at all."""
    review, _url = closed
    real = getattr(decisions, read)
    outcome = {}

    def edit_then_read(*args, **kwargs):
        if "edit" not in outcome:
            outcome["edit"] = _edit_from_another_connection(review)
        return real(*args, **kwargs)

    monkeypatch.setattr(decisions, read, edit_then_read)
    lead = db.session.get(Review, review.id).lead
    given = DecisionInput({"muddy": "not_confirmed"}, "Rationale.")
    if db.engine.dialect.name == "postgresql":
        with pytest.raises(AnswersChangedSinceShown):
            decide_review(review.id, lead, given, utcnow())
        assert outcome["edit"] == "landed"
        assert not decided(review) and db.session.query(Decision).count() == 0
        return
    decision = decide_review(review.id, lead, given, utcnow())
    assert outcome["edit"] == "locked out" and decided(review)
    ratings = db.session.execute(text("SELECT DISTINCT rating FROM team_answers")).scalars()
    assert set(ratings) == {4}  # untouched: the rows the record rests on, as it says
    assert answers_match(review.id, stored_record(decision.id)["answers_digest"])


def _edit_from_another_connection(review) -> str:
    """What happened to an edit sent from someone else's connection in the middle of the
    decision: committed ("landed"), or refused by the database ("locked out")."""
    if db.engine.dialect.name == "postgresql":
        edit_answers_behind_the_apps_back(review)
        return "landed"
    outside = create_engine(db.engine.url, connect_args={"timeout": 0.2})
    try:
        with outside.begin() as connection:
            connection.execute(text("UPDATE team_answers SET rating = 1"))
    except OperationalError as refused:
        assert "locked" in str(refused)
        return "locked out"
    finally:
        outside.dispose()
    return "landed"


def test_a_decision_with_no_edit_seals_as_before(closed):
    review, _url = closed
    lead = db.session.get(Review, review.id).lead
    given = DecisionInput({"muddy": "not_confirmed"}, "Rationale.")
    decision = decide_review(review.id, lead, given, utcnow())
    assert decided(review) and decision.sequence == 1
