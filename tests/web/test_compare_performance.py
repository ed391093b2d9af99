"""The comparison page at any team size: a fixed number of SQL statements when drawn,
and a closed review's content served from the shared store afterwards, keyed so that
no reader, language or state ever gets another's page."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import event

from app.extensions import db
from app.models import utcnow
from app.reviews import compare_page
from app.services import decisions, review_data
from app.services.decisions import DecisionInput
from app.services.shared_store import shared_store
from tests import factories as f
from tests.archive_factory import tamper
from tests.helpers import without_token

pytestmark = pytest.mark.usefixtures("empty_store")


def closed_review(make_user, make_client, members: int, named: bool = False):
    lead = make_user("lead")
    team = [make_user("member") for _ in range(members)]
    review = f.open_review(lead, make_client(actor=lead), team)
    for index, member in enumerate(team):
        choices = {"muddy": f"Evidence {index}."} if index % 2 else {}
        f.submit(
            review,
            member,
            f.full_response(
                rating=2 + index % 4,
                confidence=60 + 10 * (index % 4),
                choices=choices,
                consent_named=named,
                comment=f"Comment {index}.",
            ),
        )
    f.client_answers(review, lead, rating=2)
    f.close(review, lead)
    return lead, team, f.reload(review)


def decided_page(client, login, make_user, make_client) -> tuple[int, str]:
    """A decided review of three members, its lead logged in: its id and comparison page."""
    lead, _team, review = closed_review(make_user, make_client, 3)
    decisions.decide_review(
        review.id, lead, DecisionInput({"muddy": "not_confirmed"}, "Not enough."), utcnow()
    )
    login(client, lead)
    return review.id, f"/reviews/{review.id}/compare"


def statements_of(client, url: str) -> int:
    seen = []

    def count(*_args, **_kwargs):
        seen.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(seen)


def test_the_drawn_page_sends_as_many_statements_for_30_members_as_for_3(
    app, make_user, make_client, login
):
    counts = []
    for members in (3, 30):
        lead, _team, review = closed_review(make_user, make_client, members, named=True)
        http = app.test_client()
        login(http, lead)
        shared_store().clear()
        counts.append(statements_of(http, f"/reviews/{review.id}/compare"))
    assert counts[0] == counts[1], counts


def test_the_review_page_sends_as_many_statements_for_30_members_as_for_3(
    app, make_user, make_client, login
):
    counts = []
    for members in (3, 30):
        lead, team, review = closed_review(make_user, make_client, members, named=True)
        http = app.test_client()
        login(http, lead)
        counts.append(statements_of(http, f"/reviews/{review.id}"))
        page = http.get(f"/reviews/{review.id}").get_data(as_text=True)
        names = sorted((member.name for member in team), key=str.lower)
        listed = [name for name in re.findall(r"<li><bdi>([^<]+)</bdi>", page)]
        assert listed == names  # every member, by name
    assert counts[0] == counts[1], counts


def test_a_closed_reviews_page_is_drawn_once_then_served_from_the_store(
    client, login, make_user, make_client, draws
):
    lead, _team, review = closed_review(make_user, make_client, 3)
    login(client, lead)
    first = client.get(f"/reviews/{review.id}/compare")
    second = client.get(f"/reviews/{review.id}/compare")
    assert first.status_code == second.status_code == 200
    assert draws == [review.id]
    # The same bytes, but for the log-out form's CSRF token, which is signed with the
    # second it was made in.
    assert without_token(first.get_data(as_text=True)) == without_token(
        second.get_data(as_text=True)
    )
    assert "Team and client compared" in second.get_data(as_text=True)


def test_the_lead_and_a_member_never_share_a_page(app, login, make_user, make_client, draws):
    lead, team, review = closed_review(make_user, make_client, 3)
    url = f"/reviews/{review.id}/compare"
    decide = f'href="/reviews/{review.id}/decide"'
    lead_client, member_client = app.test_client(), app.test_client()
    login(lead_client, lead)
    login(member_client, team[0])
    assert decide in lead_client.get(url).get_data(as_text=True)
    assert decide not in member_client.get(url).get_data(as_text=True)
    assert decide in lead_client.get(url).get_data(as_text=True)
    assert len(draws) == 2  # one per viewer kind, then served


def test_each_language_gets_its_own_page(client, login, make_user, make_client, draws):
    lead, _team, review = closed_review(make_user, make_client, 3)
    login(client, lead)
    url = f"/reviews/{review.id}/compare"
    english = client.get(url, headers={"Accept-Language": "en"}).get_data(as_text=True)
    danish = client.get(url, headers={"Accept-Language": "da"}).get_data(as_text=True)
    assert english != danish and len(draws) == 2


def test_an_open_review_is_refused_even_when_its_key_is_in_the_store(
    app, client, login, make_user, make_client
):
    lead = make_user("lead")
    team = [make_user("member") for _ in range(3)]
    review = f.answered_review(lead, make_client(actor=lead), team)
    login(client, lead)
    with app.test_request_context():
        key = compare_page.page_key(review, True)
        shared_store().put(key, b'["Forged", "<p>answers before close</p>"]')
    response = client.get(f"/reviews/{review.id}/compare")
    assert response.status_code == 403
    assert b"answers before close" not in response.data


def test_a_decision_is_shown_at_once_never_the_kept_closed_page(
    client, login, make_user, make_client, draws
):
    lead, _team, review = closed_review(make_user, make_client, 3)
    login(client, lead)
    url = f"/reviews/{review.id}/compare"
    assert "This review is decided" not in client.get(url).get_data(as_text=True)
    decisions.decide_review(
        review.id, lead, DecisionInput({"muddy": "not_confirmed"}, "Not enough."), utcnow()
    )
    assert "This review is decided" in client.get(url).get_data(as_text=True)
    assert len(draws) == 2
    # Kept once drawn from its record; the answers are still checked on every request.
    again = client.get(url).get_data(as_text=True)
    assert len(draws) == 2 and "This review is decided" in again


def test_a_kept_decided_page_warns_at_once_when_the_answers_change(
    client, login, make_user, make_client, draws
):
    _, url = decided_page(client, login, make_user, make_client)
    warning = "were changed after the decision"
    assert warning not in client.get(url).get_data(as_text=True)
    assert warning not in client.get(url).get_data(as_text=True)
    assert len(draws) == 1
    rating = "SELECT rating FROM team_answers WHERE id = (SELECT min(id) FROM team_answers)"
    original = db.session.execute(db.text(rating)).scalar()
    tamper(
        "UPDATE team_answers SET rating = :r WHERE id = (SELECT min(id) FROM team_answers)",
        r=1 if original != 1 else 2,
    )
    assert warning in client.get(url).get_data(as_text=True)
    assert warning in client.get(url).get_data(as_text=True)
    tamper(
        "UPDATE team_answers SET rating = :r WHERE id = (SELECT min(id) FROM team_answers)",
        r=original,
    )
    assert warning not in client.get(url).get_data(as_text=True)
    assert warning not in client.get(url).get_data(as_text=True)
    # SQLite: one drawing per outcome of the check, each kept. PostgreSQL: one per version
    # of the rows, and putting a value back is a version of its own.
    assert len(draws) == (3 if db.engine.dialect.name == "postgresql" else 2)


def test_a_kept_decided_page_is_drawn_anew_when_its_record_changes(
    client, login, make_user, make_client, draws
):
    review_id, url = decided_page(client, login, make_user, make_client)
    assert "Rewritten rationale" not in client.get(url).get_data(as_text=True)
    client.get(url)
    assert len(draws) == 1
    tamper(
        "UPDATE decisions SET record_text = replace(record_text, 'Not enough.', "
        "'Rewritten rationale.') WHERE review_id = :id",
        id=review_id,
    )
    assert len(draws) == 1
    client.get(url)
    assert len(draws) == 2


@pytest.mark.postgres_only
def test_a_kept_decided_page_reads_no_answer_rows_while_their_version_holds(
    client, login, make_user, make_client, draws, monkeypatch
):
    _, url = decided_page(client, login, make_user, make_client)
    first = client.get(url).get_data(as_text=True)

    def unread(*_args):
        raise AssertionError("the answer rows were read for a kept page")

    monkeypatch.setattr(compare_page, "answers_match", unread)
    monkeypatch.setattr(review_data, "answers_match", unread)
    assert without_token(client.get(url).get_data(as_text=True)) == without_token(first)
    assert len(draws) == 1


def test_a_client_renamed_after_close_is_named_anew(client, login, make_user, make_client):
    from app.services.clients import update_client

    lead, _team, review = closed_review(make_user, make_client, 3)
    login(client, lead)
    url = f"/reviews/{review.id}/compare"
    client.get(url)
    renamed = update_client(review.client_id, "Renamed Harbour Ltd", "", "", "", lead)
    assert renamed.name in client.get(url).get_data(as_text=True)


def test_the_confidence_table_has_its_own_page_with_every_answer(
    client, login, make_user, make_client
):
    lead, team, review = closed_review(make_user, make_client, 3)
    login(client, team[1])
    page = client.get(f"/reviews/{review.id}/compare").get_data(as_text=True)
    assert f"/graphs/reviews/{review.id}/confidence-table" in page
    table = client.get(f"/graphs/reviews/{review.id}/confidence-table")
    assert table.status_code == 200
    rows = table.get_data(as_text=True).count('<th scope="row">')
    catalogue = f.ensure_catalogue()
    assert rows == 3 * len(catalogue.dimensions)


def test_the_confidence_table_is_hidden_before_close_and_from_outsiders(
    app, client, login, make_user, make_client
):
    lead = make_user("lead")
    team = [make_user("member") for _ in range(3)]
    review = f.open_review(lead, make_client(actor=lead), team)
    for member in team:
        f.submit(review, member)
    login(client, lead)
    assert client.get(f"/graphs/reviews/{review.id}/confidence-table").status_code == 403
    f.close(review, lead)
    outsider = app.test_client()
    login(outsider, make_user("member"))  # not part of the review: the 404 of a missing one
    assert outsider.get(f"/graphs/reviews/{review.id}/confidence-table").status_code == 404
    assert client.get(f"/graphs/reviews/{review.id + 999}/confidence-table").status_code == 404


def test_the_counted_confidence_answers_equal_the_listed_ones(app, make_user, make_client):
    from app.services.charts import chart_tables
    from app.services.review_data import results_for

    _lead, _team, review = closed_review(make_user, make_client, 5)
    with app.test_request_context():
        results = results_for(review)
        listed = chart_tables(results).confidence
        counted = chart_tables(results, points=False).confidence
    assert listed.in_zone > 0 and counted.points == ()
    assert (counted.answers, counted.in_zone) == (listed.answers, listed.in_zone)
    assert listed.answers == len(listed.points)


def test_a_page_that_only_words_the_charts_gets_every_divergence_figure_but_the_ratings(
    app, make_user, make_client
):
    from dataclasses import replace

    from app.services.charts import chart_tables
    from app.services.review_data import results_for

    _lead, _team, review = closed_review(make_user, make_client, 5)
    with app.test_request_context():
        results = results_for(review)
        drawn = chart_tables(results).divergence
        worded = chart_tables(results, points=False).divergence
    assert all(row.member_ratings for row in drawn.rows)
    assert all(row.member_ratings is None for row in worded.rows)
    assert worded == replace(
        drawn, rows=tuple(replace(row, member_ratings=None) for row in drawn.rows)
    )
