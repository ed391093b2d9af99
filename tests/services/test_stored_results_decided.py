"""A decided review's stored results: what its sealed record says, kept under the record's
exact text, and drawn as the record would be, the answer rows still checked against the
record's digest (app/services/stored_results.py). And what stored results are never: a
source of answers (charts with points), or a way to see an open review."""

from __future__ import annotations

import hashlib

import orjson
import pytest
from sqlalchemy import func, select

from app.domain.stored_results import read_stored_results, results_seal_matches
from app.extensions import db
from app.models import Decision, StoredResultsRow, utcnow
from app.services import decisions, review_data, stored_results
from app.services.charts import chart_tables
from app.services.decisions import DecisionInput
from app.services.errors import Forbidden
from app.services.records import archive_key
from tests import factories as f
from tests.archive_factory import tamper, tamper_from_outside
from tests.helpers import without_token
from tests.services.stored_results_scene import (
    forget,
    kept,
    page,
    stored_rows,
    team_means,
)

pytestmark = pytest.mark.usefixtures("empty_store")

CHANGED_AFTER = "were changed after the decision"


@pytest.fixture
def decided(closed_page):
    lead, team, review, url = closed_page
    given = DecisionInput({"muddy": "not_confirmed"}, "Unclear.")
    decision = decisions.decide_review(review.id, lead, given, utcnow())
    return lead, team, f.reload(review), url, decision


def test_deciding_stores_the_records_results_under_its_hash(decided):
    """A decided page is the record's: kept under the exact text that was sealed."""
    _lead, _team, review, _url, decision = decided
    (row,) = stored_rows()
    text = db.session.get(Decision, decision.id).record_text
    assert row.basis == "record=" + hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert results_seal_matches(archive_key(), review.id, row.basis, row.body, row.seal)
    stored = read_stored_results(row.body, lambda: row.flag_rows)
    assert stored.answers_digest == orjson.loads(text)["answers_digest"] != ""
    assert stored.decision_id == decision.id
    assert kept(review.id).frozen and not kept(review.id).rows_changed


@pytest.mark.parametrize("language", ["en", "da", "hu"])
@pytest.mark.parametrize("viewer", ["lead", "member"])
def test_the_decided_page_from_stored_results_is_the_page_from_the_record(
    app, decided, login, from_rows, viewer, language
):
    lead, team, review, url, _decision = decided
    http = app.test_client()
    login(http, lead if viewer == "lead" else team[0])
    stored = page(http, url, language)
    assert from_rows == [] and f'<html lang="{language}"' in stored
    forget(review.id)
    drawn = page(http, url, language)
    assert from_rows == [review.id]
    assert without_token(stored) == without_token(drawn)


def test_the_decided_page_still_warns_of_answers_changed_after_the_decision(
    decided, client, from_rows
):
    """Kept results do not hide an edit: the rows are checked against the record's
    digest on every drawing, while the figures stay the record's."""
    _lead, _team, review, url, _decision = decided
    before = page(client, url)
    assert CHANGED_AFTER not in before
    tamper_from_outside(
        "UPDATE team_answers SET rating = 1 WHERE response_id IN "
        "(SELECT id FROM team_responses WHERE review_id = :id)",
        id=review.id,
    )
    after = page(client, url)
    assert CHANGED_AFTER in after and team_means(after) == team_means(before)
    assert from_rows == [] and len(stored_rows()) == 1  # from the stored results, intact


@pytest.mark.postgres_only
def test_rows_with_their_version_at_the_decision_are_not_read_again(decided, client, monkeypatch):
    """PostgreSQL: the rows' version as the record was sealed is kept with the results;
    while the rows still have it they are those rows, and the page reads none of them
    (the check's outcome in the shared store may be gone). Any edit is a new version,
    and the rows are checked the long way."""
    _lead, _team, review, url, _decision = decided
    assert kept(review.id).rows_changed is False
    checked = []
    real = review_data.answers_match
    monkeypatch.setattr(review_data, "answers_match", lambda *a: checked.append(a[0]) or real(*a))
    assert CHANGED_AFTER not in page(client, url) and checked == []
    tamper_from_outside(
        "UPDATE team_answers SET confidence = confidence WHERE response_id IN "
        "(SELECT id FROM team_responses WHERE review_id = :id)",
        id=review.id,
    )
    assert CHANGED_AFTER not in page(client, url)  # a new version, the same values
    assert checked == [review.id]


def test_an_edited_record_is_a_new_basis(decided, client, from_rows):
    """The record is what a decided page shows: another text, and it is read anew."""
    _lead, _team, review, url, _decision = decided
    tamper(
        "UPDATE decisions SET record_text = replace(record_text, 'Unclear.', "
        "'Rewritten rationale.') WHERE review_id = :id",
        id=review.id,
    )
    assert kept(review.id) is None and len(stored_rows()) == 1
    page(client, url)
    assert from_rows == [review.id]


def test_the_worded_charts_of_stored_results_are_the_rows_own(app, closed_page):
    """Stored results keep no answers: the page's chart tables are worded without them,
    and anything that needs each answer is told to read the rows."""
    _lead, _team, review, _url = closed_page
    with app.test_request_context():
        stored = stored_results.stored_results_for(review)
        assert stored is not None and stored.data is None
        assert chart_tables(stored, points=False) == chart_tables(
            review_data.results_for(review), points=False
        )
        with pytest.raises(ValueError):
            chart_tables(stored)


def test_an_open_review_shows_nothing_even_with_a_stored_row(client, login, make_user, make_client):
    """Before close nobody sees results: the lifecycle is asked before any kept result."""
    lead = make_user("lead")
    team = [make_user("member") for _ in range(3)]
    review = f.answered_review(lead, make_client(actor=lead), team)
    stored_results.store_results(review)  # as if kept before close, basis and seal its own
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(StoredResultsRow)) == 1
    with pytest.raises(Forbidden):
        stored_results.results_for_page(review)
    with pytest.raises(Forbidden):
        review_data.results_for(review)
    assert stored_results.stored_results_for(review) is None
    login(client, lead)
    assert client.get(f"/reviews/{review.id}/compare").status_code == 403
