"""SQLite writes a decided review's answer rows as the record's canonical text itself
(app/services/answers_text.py): the same text, so the same digest, for any text a member
or the client may have written; a changed row never matches; and on any other database
the quick way stays out of it. And the record's hash read as bytes is the text's hash."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain.record import answers_digest
from app.extensions import db
from app.models import Review
from app.services.answers_text import sqlite_answers_match
from app.services.decisions import sealed_record_hash, sealed_record_text
from app.services.records import record_text_hash
from app.services.review_data import answers_match, raw_answer_rows
from tests.archive_factory import small_decision, tamper

# Each text a person writes into an answer row, and the row it is written to.
WRITTEN = {
    "comment": "UPDATE team_answers SET comment = :t WHERE id = (SELECT min(id) FROM team_answers)",
    "evidence": "UPDATE category_choices SET evidence = :t "
    "WHERE id = (SELECT min(id) FROM category_choices)",
    "client quote": "UPDATE client_responses SET source_quote = :t",
    "client comment": "UPDATE client_answers SET comment = :t "
    "WHERE id = (SELECT min(id) FROM client_answers)",
}


@pytest.fixture
def review_id(app, make_user, make_client):
    return small_decision(make_user, make_client, "Answers Text Ltd").review_id


def _digest_of_rows(review_id: int) -> str:
    db.session.expire_all()
    return answers_digest(raw_answer_rows(db.session.get(Review, review_id)))


def _sealed(review_id: int) -> str:
    from app.models import Decision

    return db.session.scalar(db.select(Decision).filter_by(review_id=review_id)).record[
        "answers_digest"
    ]


def _on_sqlite() -> bool:
    return db.engine.dialect.name == "sqlite"


def test_the_rows_as_decided_match_their_sealed_digest(review_id):
    assert sqlite_answers_match(review_id, _sealed(review_id)) is _on_sqlite()
    assert answers_match(review_id, _sealed(review_id))


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(where=st.sampled_from(sorted(WRITTEN)), written=st.text(max_size=40))
def test_any_text_is_written_as_the_canonical_text(review_id, where, written):
    """Quotes, backslashes, control characters, bidi marks, emoji, NUL: SQLite's text of
    the rows hashes as Python's canonical text does, so the quick way says yes."""
    if not _on_sqlite():  # the rows' version stands in for it there: never a yes
        assert not sqlite_answers_match(review_id, _digest_of_rows(review_id))
        return
    tamper(WRITTEN[where], t=written)
    assert sqlite_answers_match(review_id, _digest_of_rows(review_id))


@pytest.mark.parametrize("where", sorted(WRITTEN))
def test_a_changed_row_never_matches_the_sealed_digest(review_id, where):
    sealed = _sealed(review_id)
    tamper(WRITTEN[where], t="Changed behind the app's back.")
    assert not sqlite_answers_match(review_id, sealed)
    assert not answers_match(review_id, sealed)


def test_unchanged_rows_are_not_read_the_long_way_on_sqlite(review_id, monkeypatch):
    from app.services import archive_answers

    calls = []
    monkeypatch.setattr(
        archive_answers.StoredAnswers, "match", lambda *args: calls.append(args) or True
    )
    assert answers_match(review_id, _sealed(review_id))
    # On PostgreSQL the first check of a version reads the rows once (then keeps it).
    assert len(calls) == (0 if _on_sqlite() else 1)


def test_the_record_hash_read_as_bytes_is_the_texts_hash(review_id):
    assert sealed_record_hash(review_id) == record_text_hash(sealed_record_text(review_id))
    assert sealed_record_hash(review_id + 1000) is None
