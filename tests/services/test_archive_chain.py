"""The archive's chain: every decision sealed and linked, and `verify-archive` finds any
record, row, audit event or decision changed, removed or rewritten behind the app's back."""

import hashlib

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from app.domain.record import seal
from app.domain.snapshot import canonical_json
from app.extensions import db
from app.models import Decision
from app.services.archive_problems import Problem
from app.services.archive_verify import current_head, verify_archive, verify_one
from app.services.records import facts_of
from tests.archive_factory import rewrite_record, stored_record, tamper


def test_the_chain_verifies_then_fails_where_the_record_was_changed(world):
    assert verify_archive().ok and verify_archive().checked == 4
    rewrite_record(3, lambda record: record.update(rationale="Something else entirely."))
    for batch_size in (1000, 2, 1):
        result = verify_archive(batch_size)
        assert not result.ok and result.first_broken_sequence == 3, result
        assert "seal no longer matches" in result.reason
    assert not verify_one(db.session.get(Decision, world["d"][3].id)).ok
    assert verify_one(db.session.get(Decision, world["d"][1].id)).ok


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE decisions SET rationale = 'Rewritten later.' WHERE sequence = 2",
        "UPDATE decisions SET one_sided = :no WHERE sequence = 2",
        "UPDATE decisions SET final_status = 'cleared' WHERE sequence = 2",
        "UPDATE decisions SET waiver_reason = '' WHERE sequence = 2",
        "UPDATE category_decisions SET outcome = 'confirmed' WHERE decision_id = "
        "(SELECT id FROM decisions WHERE sequence = 2)",
        "UPDATE category_decisions SET votes = votes + 1 WHERE decision_id = "
        "(SELECT id FROM decisions WHERE sequence = 2)",
        # who decided, and moving a decision to another client
        "UPDATE decisions SET decided_by_id = (SELECT decided_by_id FROM decisions "
        "WHERE sequence = 1) WHERE sequence = 2",
        "UPDATE decisions SET client_id = (SELECT client_id FROM decisions WHERE sequence = 1) "
        "WHERE sequence = 2",
        "UPDATE decisions SET decided_at = (SELECT decided_at FROM decisions WHERE sequence = 1) "
        "WHERE sequence = 2",
    ],
)
def test_a_row_column_changed_behind_the_apps_back_fails_verification(world, sql):
    tamper(sql, **({"no": False} if ":no" in sql else {}))
    result = verify_archive()
    assert not result.ok and result.first_broken_sequence == 2
    assert "seal no longer matches" in result.reason
    check = verify_one(db.session.get(Decision, world["d"][2].id))
    assert not check.ok and (check.problem, check.sequence) == (Problem.SEAL_BROKEN, 2)


def test_a_removed_decision_breaks_the_chain_at_the_next_one(world):
    victim = world["d"][2].id
    tamper("DELETE FROM category_decisions WHERE decision_id = :id", id=victim)
    tamper("DELETE FROM decisions WHERE id = :id", id=victim)
    result = verify_archive()
    assert not result.ok and result.first_broken_sequence == 3
    assert not verify_one(db.session.get(Decision, world["d"][3].id)).ok


def test_removing_the_newest_decision_is_caught_by_its_decided_review(world):
    newest = world["d"][4].id
    tamper("DELETE FROM category_decisions WHERE decision_id = :id", id=newest)
    tamper("DELETE FROM decisions WHERE id = :id", id=newest)
    result = verify_archive()
    assert not result.ok and "marked decided" in result.reason


def test_removing_the_newest_decision_and_reopening_its_review_is_caught_by_the_head(world):
    head = current_head()
    assert head.sequence == 4 and verify_archive(head=head).ok
    newest, review_id = world["d"][4].id, world["d"][4].review_id
    tamper("DELETE FROM category_decisions WHERE decision_id = :id", id=newest)
    tamper("DELETE FROM decisions WHERE id = :id", id=newest)
    tamper("UPDATE reviews SET state = 'closed' WHERE id = :id", id=review_id)
    assert verify_archive().ok  # without the outside anchor this cannot be seen
    result = verify_archive(head=head)
    assert not result.ok and "newest decisions were removed" in result.reason


def test_a_newest_record_rewritten_with_a_recomputed_plain_digest_fails(world):
    record = stored_record(world["d"][4].id)
    record["rationale"] = "A kinder story."
    text = canonical_json(record)
    previous = world["d"][3].digest
    forged = hashlib.sha256(f"{previous}\n{text}".encode()).hexdigest()
    tamper(
        "UPDATE decisions SET record_text = :t, rationale = 'A kinder story.', digest = :d "
        "WHERE sequence = 4",
        t=text,
        d=forged,
    )
    result = verify_archive()
    assert not result.ok and result.first_broken_sequence == 4


def test_a_whole_chain_rewritten_without_the_key_fails_at_its_first_record(world):
    previous = None
    wrong_key = b"guessed" * 8
    for sequence in (1, 2, 3, 4):
        decision = db.session.scalar(select(Decision).where(Decision.sequence == sequence))
        digest = seal(wrong_key, previous, facts_of(decision), decision.record_text)
        tamper(
            "UPDATE decisions SET digest = :d, previous_digest = :p WHERE sequence = :s",
            d=digest,
            p=previous,
            s=sequence,
        )
        previous = digest
    result = verify_archive()
    assert not result.ok and result.first_broken_sequence == 1


def test_editing_the_answers_of_a_decided_review_fails_verification(world):
    review_id = world["d"][3].review_id
    tamper(
        "UPDATE team_answers SET rating = 1 WHERE response_id IN "
        "(SELECT id FROM team_responses WHERE review_id = :id)",
        id=review_id,
    )
    result = verify_archive()
    assert not result.ok and result.first_broken_sequence == 3
    assert "answers that were changed" in result.reason


def test_deleting_a_decisions_audit_event_fails_verification(world):
    tamper(
        "DELETE FROM audit_events WHERE action = 'review.decided' AND object_id = :id",
        id=world["d"][2].review_id,
    )
    result = verify_archive()
    assert not result.ok and result.first_broken_sequence == 2
    assert "no audit event" in result.reason


def test_the_database_itself_refuses_to_change_a_decision(world):
    with pytest.raises(DBAPIError):
        db.session.execute(text("UPDATE decisions SET rationale = 'x' WHERE sequence = 1"))
    db.session.rollback()
    assert verify_archive().ok


def test_an_empty_archive_verifies():
    result = verify_archive()
    assert result.ok and result.checked == 0
