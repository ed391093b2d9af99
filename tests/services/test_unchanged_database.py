"""A decided review's answers check is kept only while nothing is written to the database
(app/services/unchanged_database.py): the same state while nobody writes, a new one after
any write, from this app's session or from a connection of its own; so an edit made
behind the app's back shows on the next request whichever connection made it, and a
check is not made again while nothing was written."""

from contextlib import contextmanager

import pytest
from sqlalchemy import event, text

from app.extensions import db
from app.services.review_data import answers_match
from app.services.unchanged_database import database_state, while_unchanged
from tests.archive_factory import small_decision, stored_record, tamper_from_outside

FIRST_ANSWER = (
    "UPDATE team_answers SET rating = rating + :delta WHERE id = (SELECT min(a.id) "
    "FROM team_answers a JOIN team_responses r ON r.id = a.response_id "
    "WHERE r.review_id = :review)"
)
# The statements the kept answer saves: SQLite's text of the rows, PostgreSQL's version.
CHECKS = {"sqlite": "json_array(a.dimension_key", "postgresql": "md5(string_agg("}


@pytest.fixture
def decided(app, make_user, make_client):
    decision = small_decision(make_user, make_client, "Unchanged Ltd")
    return decision.review_id, stored_record(decision.id)["answers_digest"]


def _sent(statements: list[str]) -> bool:
    marker = CHECKS[db.engine.dialect.name]
    return any(marker in statement for statement in statements)


@contextmanager
def recorded_statements():
    statements: list[str] = []

    def record(_connection, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def test_a_quiet_database_keeps_its_state(app):
    # A shared PostgreSQL server may see other databases' commits in between: one equal
    # pair in a few tries is what a quiet moment gives.
    assert any(database_state() == database_state() for _ in range(20))


def test_a_commit_from_another_connection_is_a_new_state(decided):
    review_id, _sealed = decided
    before = database_state()
    tamper_from_outside(FIRST_ANSWER, delta=-1, review=review_id)
    changed = database_state()
    assert changed != before
    tamper_from_outside(FIRST_ANSWER, delta=1, review=review_id)  # put back: a new state
    assert database_state() not in (before, changed)


def test_a_session_that_has_written_keeps_nothing_until_it_ends(decided):
    review_id, _sealed = decided
    before = database_state()
    db.session.execute(text(FIRST_ANSWER), {"delta": 0, "review": review_id})
    # Not yet committed, a rollback would undo it without a trace: nothing is kept or reused.
    assert before is not None and database_state() is None
    db.session.rollback()


def test_an_edit_from_another_connection_shows_at_once(decided):
    review_id, sealed = decided
    assert answers_match(review_id, sealed)
    assert answers_match(review_id, sealed)  # kept
    tamper_from_outside(FIRST_ANSWER, delta=-1, review=review_id)
    assert not answers_match(review_id, sealed)
    tamper_from_outside(FIRST_ANSWER, delta=1, review=review_id)
    assert answers_match(review_id, sealed)


def test_an_uncommitted_edit_in_this_session_shows_at_once(decided):
    review_id, sealed = decided
    assert answers_match(review_id, sealed)
    db.session.execute(text(FIRST_ANSWER), {"delta": -1, "review": review_id})
    assert not answers_match(review_id, sealed)
    db.session.rollback()
    assert answers_match(review_id, sealed)


def test_the_check_is_not_made_again_while_nothing_is_written(decided):
    review_id, sealed = decided
    with recorded_statements() as first:
        assert answers_match(review_id, sealed)
    assert _sent(first)
    # Other databases' commits on a shared server make a new state: a few tries.
    again = []
    for _ in range(20):
        with recorded_statements() as statements:
            assert answers_match(review_id, sealed)
        again.append(_sent(statements))
        if not again[-1]:
            break
    assert not again[-1], "the check was made again although nothing was written"


def test_work_is_done_again_after_any_write(decided):
    review_id, _sealed = decided
    done = []

    def work():
        done.append(1)
        return len(done)

    assert while_unchanged(("test", review_id), work) == 1
    db.session.execute(text(FIRST_ANSWER), {"delta": 0, "review": review_id})
    db.session.commit()
    assert while_unchanged(("test", review_id), work) == 2


@pytest.mark.postgres_only
def test_a_postgresql_state_names_the_server_by_its_start(app):
    # A restored or promoted server starts anew: its snapshots never meet the old one's.
    place, _snapshot = database_state()
    started = db.session.execute(text("SELECT pg_postmaster_start_time()")).scalar_one()
    assert place == ("server", started)
