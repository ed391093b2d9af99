"""A decision and offboarding kits completed at the same moment share one chain: every
record gets its own sequence number and points at the one before (real threads, real
PostgreSQL transactions)."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.models import ClosingRecord, Decision, User, utcnow
from app.services import decisions, offboarding
from app.services.archive_verify import verify_archive
from app.services.decisions import DecisionInput
from tests import factories as f
from tests.helpers import run_at_once


@pytest.mark.postgres_only
def test_decisions_and_closing_records_appended_at_once_stay_one_chain(app, make_user, make_client):
    lead = make_user("lead")
    members = [make_user("member") for _ in range(3)]
    reviews_to_decide = []
    for n in range(2):
        review = f.open_review(lead, make_client(f"Decided {n}", actor=lead), members)
        for member in members:
            f.submit(review, member)
        f.client_answers(review, lead)
        f.close(review, lead)
        reviews_to_decide.append(review.id)
    kits = []
    for n in range(3):
        client = make_client(f"Offboarded {n}", actor=lead)
        now = utcnow()
        offboarding.open_kit(client.id, lead, now)
        offboarding.record_payments(client.id, lead, True, "", now)
        offboarding.save_report(client.id, lead, "", "Report.", now)
        offboarding.save_reason(client.id, lead, "Reason.", now)
        offboarding.set_final_status(client.id, lead, "ended", now)
        kits.append(client.id)

    def decide(review_id):
        return lambda: decisions.decide_review(
            review_id, db.session.get(User, lead.id), DecisionInput({}, "Done."), utcnow()
        )

    def complete(client_id):
        return lambda: offboarding.complete_kit(client_id, db.session.get(User, lead.id), utcnow())

    results = run_at_once(app, [decide(r) for r in reviews_to_decide] + [complete(c) for c in kits])
    assert [r for r in results if isinstance(r, Exception)] == []
    sequences = sorted(
        [d.sequence for d in db.session.query(Decision)]
        + [c.sequence for c in db.session.query(ClosingRecord)]
    )
    assert sequences == [1, 2, 3, 4, 5]
    assert verify_archive().ok
