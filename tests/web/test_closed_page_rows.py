"""A closed review's comparison page is kept, but never beyond what its rows hold: an edit
of the answer rows behind the app's back (another database client, after close, before
the decision) shows on the next request, on SQLite and on PostgreSQL. Without it the lead
would decide from figures the rows no longer say, while the decision seals the rows."""

from __future__ import annotations

import re

import pytest

from app.reviews import compare_page
from app.services import review_data, row_versions
from tests.archive_factory import tamper_from_outside
from tests.web.test_compare_performance import closed_review

pytestmark = pytest.mark.usefixtures("empty_store")


def team_means(html: str) -> list[str]:
    """The per-question table's team means, in order."""
    return re.findall(r'data-label="Team mean">([^<]+)</td>', html)


@pytest.fixture
def closed_page(client, login, make_user, make_client):
    lead, _team, review = closed_review(make_user, make_client, 3)
    login(client, lead)
    return review, f"/reviews/{review.id}/compare"


def test_a_kept_closed_page_shows_an_edit_from_another_connection(client, closed_page, draws):
    review, url = closed_page
    first = client.get(url).get_data(as_text=True)
    assert client.get(url).status_code == 200 and len(draws) == 1  # kept
    assert team_means(first) and set(team_means(first)) != {"1.00"}
    tamper_from_outside(
        "UPDATE team_answers SET rating = 1 WHERE response_id IN "
        "(SELECT id FROM team_responses WHERE review_id = :id)",
        id=review.id,
    )
    after = client.get(url).get_data(as_text=True)
    assert len(draws) == 2  # drawn anew from the rows as they are
    assert set(team_means(after)) == {"1.00"}
    client.get(url)
    assert len(draws) == 2  # and kept again under what they hold now


def test_a_changed_client_answer_shows_too(client, closed_page, draws):
    review, url = closed_page
    client_cells = re.compile(r'data-label="Client">([^<]+)</td>')
    assert set(client_cells.findall(client.get(url).get_data(as_text=True))) == {"2"}
    tamper_from_outside(
        "UPDATE client_answers SET rating = 5 WHERE client_response_id IN "
        "(SELECT id FROM client_responses WHERE review_id = :id)",
        id=review.id,
    )
    assert set(client_cells.findall(client.get(url).get_data(as_text=True))) == {"5"}
    assert len(draws) == 2


def test_a_write_elsewhere_keeps_the_page(client, closed_page, draws, make_user):
    """Only the review's own rows count: a new account is a write, not a new page."""
    _review, url = closed_page
    client.get(url)
    make_user()
    client.get(url)
    assert len(draws) == 1


def test_without_a_rows_version_the_page_is_drawn_every_time(
    client, closed_page, draws, monkeypatch
):
    """Where what the rows hold cannot be told (an SQLite without JSON functions), nothing
    is kept rather than something that may be stale."""
    _review, url = closed_page
    monkeypatch.setattr(compare_page, "closed_rows_version", lambda _review_id: None)
    monkeypatch.setattr(review_data, "closed_rows_version", lambda _review_id: None)
    for _ in range(3):
        assert client.get(url).status_code == 200
    assert len(draws) == 3


def test_the_version_is_the_same_for_the_same_rows_and_new_for_new_ones(app, closed_page):
    review, _url = closed_page
    first = row_versions.closed_rows_version(review.id)
    assert first is not None
    assert row_versions.closed_rows_version(review.id) == first
    tamper_from_outside(
        "UPDATE team_responses SET complexity = 5 WHERE review_id = :id", id=review.id
    )
    assert row_versions.closed_rows_version(review.id) not in (None, first)
