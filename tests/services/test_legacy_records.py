"""Decisions archived before schema 2 stay readable and verifiable beside sealed ones."""

from datetime import UTC, datetime

from app.archive.present import present_snapshot
from app.domain.snapshot import chain_digest
from app.extensions import db
from app.models import AuditEvent, CategoryDecision, Decision, Review
from app.services.archive_verify import verify_archive, verify_one
from tests import factories as f
from tests.archive_factory import at, decide, tamper

LEGACY = {
    "schema": 1,
    "client_name": "Old Client",
    "conflict": "An old quarrel.",
    "decided_by": "Lena Lead",
    "decided_at": "2026-01-01T12:00:00+00:00",
    "rationale": "Decided under the first edition.",
    "one_sided": False,
    "waiver": None,
    "outcomes": {"muddy": "not_confirmed"},
    "participants": [],
    "scores": {"votes": {"muddy": 3}, "dimensions": [], "respondents": 3},
    "verdicts": [
        {
            "category_key": "muddy",
            "category_name": "Muddy",
            "confirmable": False,
            "one_sided": False,
            "summary": "'Muddy' cannot be confirmed. Conditions not met (1 of 8): alpha.",
            "conditions": [
                {
                    "key": "team_agreement",
                    "label": "The team agrees on the linked dimensions",
                    "measured": "alpha -0.125 on 10 pairable values",
                    "threshold": "alpha at least 0.667",
                    "passed": False,
                    "explanation": "Alpha decided: -0.125 is below 0.667.",
                }
            ],
        }
    ],
}


def _legacy_decision(lead, members, client):
    """A decision as the first edition stored it: a snapshot and a plain SHA-256 chain."""
    review = f.open_review(lead, client, members)
    for member in members:
        f.submit(review, member, f.full_response(choices={"muddy": "Old evidence."}))
    f.close(review, lead)
    db.session.get(Review, review.id).state = "decided"
    decision = Decision(
        review_id=review.id,
        client_id=client.id,
        decided_by_id=lead.id,
        decided_at=datetime(2026, 1, 1, 12, tzinfo=UTC),
        rationale=LEGACY["rationale"],
        one_sided=False,
        waiver_reason="",
        final_status="active",
        any_confirmed=False,
        snapshot=LEGACY,
        record_text=None,
        sequence=1,
        previous_digest=None,
        digest=chain_digest(LEGACY, None),
    )
    db.session.add(decision)
    db.session.flush()
    db.session.add(
        CategoryDecision(
            decision_id=decision.id, category_key="muddy", outcome="not_confirmed", votes=3
        )
    )
    db.session.add(
        AuditEvent(
            action="review.decided",
            object_type="review",
            object_id=review.id,
            details=f'{{"decision_id": {decision.id}}}',
        )
    )
    db.session.commit()
    return decision


def test_a_first_edition_decision_reads_and_verifies_before_sealed_ones(
    client, login, make_user, make_client
):
    lead = make_user("lead", name="Lena Lead")
    members = [make_user("member") for _ in range(3)]
    old = _legacy_decision(lead, members, make_client("Old Client", actor=lead))
    new = decide(lead, members, make_client(actor=lead), when=at("2026-06-01"))
    assert new.sequence == 2 and new.previous_digest == old.digest
    assert verify_archive().ok and verify_one(old).ok and verify_one(new).ok
    shown = present_snapshot(old.record)
    assert shown["client_name"] == "Old Client" and not shown["sealed"]
    login(client, lead)
    page = client.get(f"/archive/{old.id}").get_data(as_text=True)
    assert "Alpha decided: -0.125 is below 0.667." in page  # the prose it stored
    assert "This record verifies." in page
    tamper("UPDATE decisions SET rationale = 'Rewritten.' WHERE sequence = 1")
    result = verify_archive()
    assert not result.ok and result.first_broken_sequence == 1


def test_a_first_edition_decision_shows_its_stored_english_prose_marked_in_any_language(
    client, login, make_user, make_client
):
    lead = make_user("lead", name="Lena Lead")
    members = [make_user("member") for _ in range(3)]
    old = _legacy_decision(lead, members, make_client("Old Client", actor=lead))
    login(client, lead)
    client.post("/profile", data={"language": "da"})
    page = client.get(f"/archive/{old.id}").get_data(as_text=True)
    assert '<html lang="da">' in page
    # the stored sentences, unchanged, marked as English and as an older record
    assert '<div lang="en">' in page and "Alpha decided: -0.125 is below 0.667." in page
    assert 'class="note stored-prose"' in page
