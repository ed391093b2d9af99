"""A review's results, worked out once when it closes (and again when it is decided), kept
sealed beside it and used by the comparison page only while they still say what the rows
(or the sealed record) say (app/services/stored_results.py).

The page drawn from them must be the page drawn from the rows, byte for byte, or a lead
would decide on figures the rows do not hold. And anything short of the app's own,
current results - edited in the database, moved to another review, worked out under
other thresholds, from rows since edited, or simply unreadable - must be passed over for
the rows, never shown and never an error page."""

from __future__ import annotations

import logging

import pytest

from app.domain.stored_results import read_stored_results, results_seal, results_seal_matches
from app.domain.thresholds import Thresholds
from app.extensions import db
from app.models import StoredResultsRow, utcnow
from app.services import decisions, review_data
from app.services.decisions import DecisionInput
from app.services.records import archive_key
from app.services.shared_store import shared_store
from tests import factories as f
from tests.archive_factory import tamper_from_outside
from tests.helpers import without_token
from tests.services.stored_results_scene import (
    closed_review,
    edit_body,
    forget,
    kept,
    page,
    stored_rows,
    team_means,
)
from tests.web.test_too_few_respondents import one_respondent_past_deadline

pytestmark = pytest.mark.usefixtures("empty_store")

SEAL_WARNING = "event=stored_results_refused "  # and then reason=seal


def test_closing_a_review_stores_one_sealed_row_of_its_results(closed_page):
    """Stored in the closing transaction itself: no page request has to write them."""
    _lead, _team, review, _url = closed_page
    (row,) = stored_rows()
    assert row.review_id == review.id and row.basis.startswith("rows=")
    assert results_seal_matches(archive_key(), review.id, row.basis, row.body, row.seal)
    stored = read_stored_results(row.body, lambda: row.flag_rows)
    assert stored.scores == review_data.results_for(review).scores
    assert len(stored.scores.flags) > 0 and stored.named and stored.client_words


def test_a_review_closed_with_too_few_respondents_stores_nothing(make_user, make_client):
    """Below the minimum there are no results to show, so none may be kept to be shown."""
    lead, review = one_respondent_past_deadline(make_user, make_client)
    assert f.reload(review).state == "closed" and stored_rows() == []
    decisions.decide_review(review.id, lead, DecisionInput({}, "Only one answered."), utcnow())
    assert stored_rows() == []


@pytest.mark.parametrize("language", ["en", "da", "hu"])
@pytest.mark.parametrize("viewer", ["lead", "member"])
def test_the_page_from_stored_results_is_the_page_from_the_rows(
    app, closed_page, login, from_rows, viewer, language
):
    """Byte for byte, for each kind of reader and language the page is kept for."""
    lead, team, review, url = closed_page
    http = app.test_client()
    login(http, lead if viewer == "lead" else team[1])
    stored = page(http, url, language)
    assert from_rows == [] and f'<html lang="{language}"' in stored
    forget(review.id)
    drawn = page(http, url, language)
    assert from_rows == [review.id]
    assert without_token(stored) == without_token(drawn)
    assert stored_rows() == []  # a request that only reads writes none


def test_the_cold_page_rests_on_the_stored_results_alone(closed_page, client, monkeypatch):
    """The stored results are what the page is drawn from, not a check beside the rows."""
    _lead, _team, review, url = closed_page

    def no_scoring(*_args, **_kwargs):
        raise AssertionError("the rows were scored")

    with_rows = team_means(page(client, url))
    monkeypatch.setattr(review_data, "score_review", no_scoring)
    assert team_means(page(client, url)) == with_rows and with_rows
    forget(review.id)
    shared_store().clear()
    with pytest.raises(AssertionError, match="the rows were scored"):
        client.get(url)  # worked out from the rows again (the test app lets errors through)
    monkeypatch.undo()
    assert team_means(page(client, url)) == with_rows


def test_an_edited_body_is_not_shown(closed_page, client, from_rows, caplog):
    """Valid JSON with other figures: only the seal tells, and the operator is told."""
    _lead, _team, review, url = closed_page
    before = team_means(page(client, url))

    def lower_every_mean(body):
        for dimension in body["scores"]["dimensions"]:
            dimension["team_mean"] = 1.25

    edit_body(review.id, lower_every_mean)
    with caplog.at_level(logging.WARNING, logger="candor.security"):
        after = team_means(page(client, url))
    assert after == before and "1.25" not in after
    assert from_rows == [review.id]
    assert SEAL_WARNING in caplog.text and f"review={review.id} reason=seal" in caplog.text


def test_an_edited_seal_is_not_trusted(closed_page, client, from_rows, caplog):
    _lead, _team, review, url = closed_page
    tamper_from_outside("UPDATE stored_results SET seal = :seal", seal="0" * 64)
    with caplog.at_level(logging.WARNING, logger="candor.security"):
        page(client, url)
    assert from_rows == [review.id] and "reason=seal" in caplog.text


def test_another_reviews_results_are_not_taken_for_its_own(
    closed_page, client, make_user, make_client, from_rows, caplog
):
    """Moved whole (so with the other basis), or moved under this review's own basis:
    either way the seal names the review and basis it was made for."""
    lead, _team, review, url = closed_page
    _lead, _team, low = closed_review(make_user, make_client, ratings=(1, 1, 2, 1), lead=lead)
    low_url = f"/reviews/{low.id}/compare"
    low_means = team_means(page(client, low_url))
    assert low_means != team_means(page(client, url))
    low_basis = db.session.get(StoredResultsRow, low.id).basis
    forget(low.id)
    tamper_from_outside(
        "UPDATE stored_results SET review_id = :low WHERE review_id = :id", low=low.id, id=review.id
    )
    assert kept(low.id) is None and team_means(page(client, low_url)) == low_means
    tamper_from_outside(
        "UPDATE stored_results SET basis = :b WHERE review_id = :low", b=low_basis, low=low.id
    )
    with caplog.at_level(logging.WARNING, logger="candor.security"):
        assert team_means(page(client, low_url)) == low_means
    assert "reason=seal" in caplog.text and from_rows[-2:] == [low.id, low.id]


@pytest.mark.parametrize("body", [b"not JSON at all", b"[]", b'{"schema": 1}'])
def test_a_body_it_cannot_read_is_passed_over_even_with_a_good_seal(
    closed_page, client, from_rows, caplog, body
):
    _lead, _team, review, url = closed_page
    before = team_means(page(client, url))
    basis = db.session.get(StoredResultsRow, review.id).basis
    seal = results_seal(archive_key(), review.id, basis, body)
    tamper_from_outside(
        "UPDATE stored_results SET body = :body, seal = :seal", body=body, seal=seal
    )
    with caplog.at_level(logging.WARNING, logger="candor.security"):
        assert team_means(page(client, url)) == before
    assert from_rows == [review.id] and "reason=unreadable" in caplog.text


def test_text_stored_in_the_blob_column_is_passed_over(closed_page, client, from_rows, caplog):
    """SQLite lets an UPDATE put text where bytes belong: the page reads the rows.
    (PostgreSQL stores the text's bytes, which the seal then refuses.)"""
    _lead, _team, review, url = closed_page
    before = team_means(page(client, url))
    tamper_from_outside("UPDATE stored_results SET body = 'abc'")
    with caplog.at_level(logging.WARNING, logger="candor.security"):
        assert team_means(page(client, url)) == before
    reason = "not_bytes" if db.engine.dialect.name == "sqlite" else "seal"
    assert from_rows == [review.id] and f"reason={reason}" in caplog.text


def test_the_page_reads_no_flag_and_edited_flags_are_refused_when_read(
    closed_page, client, from_rows
):
    """The page counts the flags from the body; their rows are read only when a flag is,
    and rows other than the stored ones (the body holds their hash) are refused then."""
    _lead, _team, review, url = closed_page
    before = page(client, url)
    tamper_from_outside("UPDATE stored_results SET flag_rows = :rows", rows=b"[]")
    assert without_token(page(client, url)) == without_token(before) and from_rows == []
    with pytest.raises(ValueError):
        tuple(kept(review.id).scores.flags)


def test_an_answer_edited_after_close_shows_in_the_figures(closed_page, client, from_rows):
    """The lead must decide on what the rows say now, not on what they said at close."""
    _lead, _team, review, url = closed_page
    assert set(team_means(page(client, url))) != {"1.00"}
    tamper_from_outside(
        "UPDATE team_answers SET rating = 1 WHERE response_id IN "
        "(SELECT id FROM team_responses WHERE review_id = :id)",
        id=review.id,
    )
    assert kept(review.id) is None
    assert set(team_means(page(client, url))) == {"1.00"}
    assert from_rows == [review.id]


def test_results_worked_out_under_other_thresholds_are_not_used(
    app, closed_page, client, from_rows, caplog
):
    """Not tampering, only out of date: passed over without a warning to the operator."""
    _lead, _team, review, url = closed_page
    assert kept(review.id) is not None
    deployment = app.extensions["candor_thresholds"]
    app.extensions["candor_thresholds"] = Thresholds(vote_share=0.75)
    with caplog.at_level(logging.WARNING, logger="candor.security"):
        assert kept(review.id) is None
        page(client, url)
    assert from_rows == [review.id] and caplog.text == ""
    app.extensions["candor_thresholds"] = deployment  # the basis holds again
    page(client, url)
    assert from_rows == [review.id] and kept(review.id) is not None


def test_a_new_data_version_is_a_new_basis(closed_page, client, from_rows):
    """The app's own marker that the review's data changed counts, as the rows do."""
    _lead, _team, review, url = closed_page
    tamper_from_outside(
        "UPDATE reviews SET data_version = data_version + 1 WHERE id = :id", id=review.id
    )
    assert kept(review.id) is None
    page(client, url)
    assert from_rows == [review.id]
