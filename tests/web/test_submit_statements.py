"""A member's submit is a fixed, short list of SQL statements: one for the login session
and its account, then the save's own (the lock, which reads the review with where the
member stands, the writes and the audit event: on PostgreSQL a first save's writes are
one statement). The review is not read before the lock: the usual post is read against
the catalogue the lock's statement names. Fifty members submit at once: a statement more
each is a round trip more for all of them."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from app.extensions import db
from app.models import TeamResponseRow
from tests import factories as f
from tests.web.conftest import answer_form


@pytest.fixture
def open_review(review_team):
    lead, members, _, agency_client = review_team
    return f.open_review(lead, agency_client, members)


def _statements_of(send) -> list[str]:
    """The statements a request sends, each cut to its first words, without the no-op
    UPDATE by which SQLite takes its write lock for `lock_review` (PostgreSQL's lock is the
    SELECT … FOR SHARE itself)."""
    seen: list[str] = []

    def keep(_conn, _cursor, statement, *_args):
        seen.append(" ".join(statement.split()))

    event.listen(db.engine, "before_cursor_execute", keep)
    try:
        send()
    finally:
        event.remove(db.engine, "before_cursor_execute", keep)
    return [s for s in seen if not s.startswith("UPDATE reviews SET data_version")]


def _kinds(statements: list[str]) -> list[str]:
    """What each statement does: its verb and its table (a SELECT's: its first column's)."""
    kinds = []
    for statement in statements:
        words = statement.split()
        if words[0] == "SELECT":
            kinds.append(f"SELECT {words[1].split('.')[0]}")
        else:
            kinds.append(" ".join(words[:3]))
    return kinds


def test_a_first_submit_is_three_statements_on_postgresql_and_six_on_sqlite(
    client, login, review_team, open_review
):
    _, members, _, _ = review_team
    login(client, members[0])
    data = answer_form(f.ensure_catalogue(), choices={"muddy": "Vague brief"})
    url = f"/reviews/{open_review.id}/answer"  # read here: the test's own objects are expired
    response = None

    def send():
        nonlocal response
        response = client.post(url, data=data)

    sent = _statements_of(send)
    assert response.status_code == 302
    assert db.session.query(TeamResponseRow).one().status == "submitted"
    writes = (
        ["WITH response AS"]  # the response row, its answers, choices and audit event
        if db.engine.dialect.name == "postgresql"
        else [
            "INSERT INTO team_responses",
            "INSERT INTO team_answers",
            "INSERT INTO category_choices",
            "INSERT INTO audit_events",
        ]
    )
    assert _kinds(sent) == [
        "SELECT users",  # the login session, joined to its account
        "SELECT reviews",  # the save's lock (FOR SHARE on PostgreSQL), with the review's
        # catalogue version and where the member stands, read after it
        *writes,
    ], sent


def test_a_saved_draft_submitted_writes_over_it(client, login, review_team, open_review):
    _, members, _, _ = review_team
    login(client, members[0])
    catalogue = f.ensure_catalogue()
    url = f"/reviews/{open_review.id}/answer"
    assert client.post(url, data=answer_form(catalogue, submit=False)).status_code == 302
    response = None

    def send():
        nonlocal response
        response = client.post(url, data=answer_form(catalogue, choices={"muddy": "Seen."}))

    sent = _statements_of(send)
    assert response.status_code == 302
    assert _kinds(sent) == [
        "SELECT users",
        "SELECT reviews",
        "UPDATE team_responses SET",
        "DELETE FROM team_answers",
        "DELETE FROM category_choices",
        "INSERT INTO team_answers",
        "INSERT INTO category_choices",
        "INSERT INTO audit_events",
    ], sent


def test_a_logged_in_page_reads_the_session_and_account_in_one_statement(
    client, login, review_team
):
    _, members, _, _ = review_team
    login(client, members[0])
    sent = _statements_of(lambda: client.get("/about"))
    assert _kinds(sent) == ["SELECT users"], sent
