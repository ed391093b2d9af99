"""A decision's page compares the review's stored answers with the digest its record
sealed (app/services/archive_answers.StoredAnswers). For a single review the quick way
(the rows' JSON written once, in C) answers alone when the rows are unchanged; the slow
way (answers_digest over raw_answer_rows) decides every other case."""

import pytest

from app.domain.record import answers_digest, read_record
from app.services import archive_answers
from app.services.archive_answers import StoredAnswers
from tests.archive_factory import at, decide, tamper


@pytest.fixture
def decided(app, make_user, make_client):
    lead = make_user("lead")
    members = [make_user("member") for _ in range(3)]
    client = make_client("Stored Answers Ltd", actor=lead)
    decision = decide(lead, members, client, when=at("2026-03-15"), outcomes={"muddy": "confirmed"})
    return decision.review_id, read_record(decision.record_text)["answers_digest"]


@pytest.fixture
def slow_calls(monkeypatch):
    calls = []

    def counted(rows):
        calls.append(1)
        return answers_digest(rows)

    monkeypatch.setattr(archive_answers, "answers_digest", counted)
    return calls


def test_unchanged_rows_of_one_review_match_without_the_slow_way(decided, slow_calls):
    review_id, sealed = decided
    assert StoredAnswers([review_id]).match(review_id, sealed)
    assert slow_calls == []


def test_a_changed_row_of_one_review_is_decided_by_the_slow_way(decided, slow_calls):
    review_id, sealed = decided
    tamper(
        "UPDATE team_answers SET confidence = 55 WHERE response_id IN "
        "(SELECT id FROM team_responses WHERE review_id = :id)",
        id=review_id,
    )
    assert not StoredAnswers([review_id]).match(review_id, sealed)
    assert slow_calls == [1]


def test_a_digest_only_the_slow_way_reproduces_is_still_a_match(decided, monkeypatch):
    # Should the quick rows ever differ from raw_answer_rows' (a field added to the
    # record's rows, say), an unchanged review is still found unchanged.
    review_id, _ = decided
    stored = StoredAnswers([review_id])
    expected = answers_digest(stored._raw_rows(review_id))
    monkeypatch.setattr(StoredAnswers, "_quick_rows", lambda self, rid: [{"other": "shape"}])
    assert StoredAnswers([review_id]).match(review_id, expected)
