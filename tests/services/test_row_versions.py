"""A decided review's rows have a version on PostgreSQL (app/services/row_versions.py):
the same while nothing writes them, a new one after any write to any of them, a value
put back included; SQLite keeps none."""

import pytest

from app.extensions import db
from app.services.row_versions import decided_rows_version
from tests.archive_factory import at, decide, small_decision, tamper

# Each table the version covers, and a write to one of the review's rows there that leaves
# every value as it was: a new row version all the same.
REWRITES = {
    "team_responses": "UPDATE team_responses SET complexity = complexity "
    "WHERE id = (SELECT min(id) FROM team_responses WHERE review_id = :review)",
    "team_answers": "UPDATE team_answers SET rating = rating WHERE id = (SELECT min(a.id) "
    "FROM team_answers a JOIN team_responses r ON r.id = a.response_id "
    "WHERE r.review_id = :review)",
    "category_choices": "UPDATE category_choices SET evidence = evidence "
    "WHERE id = (SELECT min(c.id) FROM category_choices c "
    "JOIN team_responses r ON r.id = c.response_id WHERE r.review_id = :review)",
    "client_responses": "UPDATE client_responses SET comment = comment WHERE review_id = :review",
    "client_answers": "UPDATE client_answers SET rating = rating WHERE id = (SELECT min(a.id) "
    "FROM client_answers a JOIN client_responses k ON k.id = a.client_response_id "
    "WHERE k.review_id = :review)",
    "decisions": "UPDATE decisions SET record_text = record_text WHERE review_id = :review",
}


@pytest.fixture
def review_id(app, make_user, make_client):
    return small_decision(make_user, make_client, "Row Versions Ltd").review_id


@pytest.mark.postgres_only
def test_the_version_holds_while_nothing_writes_the_rows(review_id):
    first = decided_rows_version(review_id)
    assert first is not None and len(first) == 32
    db.session.rollback()
    assert decided_rows_version(review_id) == first


@pytest.mark.postgres_only
@pytest.mark.parametrize("table", sorted(REWRITES))
def test_any_write_to_a_row_it_covers_is_a_new_version(review_id, table):
    before = decided_rows_version(review_id)
    tamper(REWRITES[table], review=review_id)
    assert decided_rows_version(review_id) != before


@pytest.mark.postgres_only
def test_another_reviews_writes_leave_the_version_alone(review_id, make_user, make_client):
    lead = make_user("lead")
    other = decide(
        lead,
        [make_user("member") for _ in range(3)],
        make_client("Other Ltd", actor=lead),
        when=at("2026-03-16"),
        outcomes={"muddy": "confirmed"},
    ).review_id
    before = decided_rows_version(review_id)
    tamper(REWRITES["team_answers"], review=other)
    assert decided_rows_version(review_id) == before


def test_sqlite_keeps_no_row_versions(review_id):
    if db.engine.dialect.name == "postgresql":
        assert decided_rows_version(review_id) is not None
    else:
        assert decided_rows_version(review_id) is None


def _verify(review_id):
    from app.models import Decision
    from app.services.archive_verify import verify_one

    db.session.expire_all()
    return verify_one(db.session.scalar(db.select(Decision).filter_by(review_id=review_id)))


def test_a_decisions_check_sees_an_answer_changed_after_it_was_checked(review_id):
    """The answers' outcome kept per version (PostgreSQL) never hides an edit, nor keeps
    reporting one that was put back (SQLite reads the rows every time)."""
    from app.services.archive_problems import Problem

    assert _verify(review_id).ok and _verify(review_id).ok
    original = db.session.scalar(
        db.text("SELECT rating FROM team_answers WHERE id = (SELECT min(id) FROM team_answers)")
    )
    rewrite = "UPDATE team_answers SET rating = :r WHERE id = (SELECT min(id) FROM team_answers)"
    tamper(rewrite, r=1 if original != 1 else 2)
    assert _verify(review_id).problem == Problem.ANSWERS_CHANGED
    assert _verify(review_id).problem == Problem.ANSWERS_CHANGED
    tamper(rewrite, r=original)
    assert _verify(review_id).ok


@pytest.mark.postgres_only
def test_a_decisions_check_reads_no_answer_rows_while_their_version_holds(review_id, monkeypatch):
    from app.services import archive_answers

    assert _verify(review_id).ok

    def unread(*_args):
        raise AssertionError("the answer rows were read again")

    monkeypatch.setattr(archive_answers.StoredAnswers, "match", unread)
    assert _verify(review_id).ok
