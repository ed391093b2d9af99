"""decide_review: the lead's decision, checked against the domain's verdicts, archived
with a frozen snapshot whose digest is chained to the decision before it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from app.domain.decision_rules import check_decision, client_status_after
from app.domain.lifecycle import ReviewState, ensure_can_decide
from app.domain.snapshot import build_snapshot, chain_digest
from app.extensions import db
from app.models import CategoryDecision, Decision, Review, User
from app.services import audit
from app.services._tx import transaction
from app.services.clients import change_status
from app.services.errors import ConcurrentChange
from app.services.review_data import results_for
from app.services.reviews import review_led_by
from app.services.thresholds import current_thresholds


@dataclass(frozen=True)
class DecisionInput:
    outcomes: dict[str, str]  # category key -> "confirmed" | "not_confirmed"
    rationale: str
    waiver_reason: str = ""
    clear_client: bool = False  # when nothing is confirmed: "cleared" instead of "active"


def _next_link() -> tuple[int, str | None]:
    last = db.session.execute(
        select(Decision.sequence, Decision.digest).order_by(Decision.sequence.desc()).limit(1)
    ).first()
    return (1, None) if last is None else (last.sequence + 1, last.digest)


def decide_review(review_id: int, lead: User, given: DecisionInput, now: datetime) -> Decision:
    # Two decisions at the same moment race for the same sequence number; the unique
    # constraint lets one win and the other retries on top of it.
    for attempt in range(3):
        try:
            return _decide_once(review_id, lead, given, now)
        except IntegrityError:
            db.session.rollback()
            if attempt == 2:
                raise ConcurrentChange() from None
    raise ConcurrentChange()


def _decide_once(review_id: int, lead: User, given: DecisionInput, now: datetime) -> Decision:
    with transaction():
        review: Review = review_led_by(review_id, lead)
        ensure_can_decide(review.state)
        waiver = given.waiver_reason.strip() or None
        results = results_for(review, waiver)
        check_decision(
            results.verdicts,
            given.outcomes,
            given.rationale,
            given.waiver_reason,
            has_client_view=results.client_response is not None,
        )
        one_sided = results.client_response is None
        confirmed = sorted(k for k, o in given.outcomes.items() if o == "confirmed")
        final_status = client_status_after(given.outcomes, given.clear_client)
        moved = db.session.execute(
            update(Review)
            .where(Review.id == review.id, Review.state == ReviewState.CLOSED.value)
            .values(state=ReviewState.DECIDED.value)
        ).rowcount
        if moved != 1:
            raise ConcurrentChange()
        sequence, previous = _next_link()
        snapshot = build_snapshot(
            scores=results.scores,
            verdicts=results.verdicts,
            conflict=review.conflict,
            client_name=review.client.name,
            decided_by=lead.name,
            decided_at=now.isoformat(),
            rationale=given.rationale.strip(),
            outcomes=given.outcomes,
            participants=list(results.named_participants),
            one_sided=one_sided,
            waiver=waiver,
            thresholds=current_thresholds(),
            catalogue_version=results.catalogue.version,
        )
        snapshot["review_id"] = review.id
        snapshot["final_status"] = final_status
        snapshot["respondents"] = results.scores.respondents
        snapshot["client_source"] = (
            results.client_response.source if results.client_response else None
        )
        snapshot["catalogue"] = _catalogue_excerpt(results)
        decision = Decision(
            review_id=review.id,
            client_id=review.client_id,
            decided_by_id=lead.id,
            decided_at=now,
            rationale=given.rationale.strip(),
            one_sided=one_sided,
            waiver_reason=waiver or "",
            final_status=final_status,
            any_confirmed=bool(confirmed),
            snapshot=snapshot,
            sequence=sequence,
            previous_digest=previous,
            digest=chain_digest(snapshot, previous),
        )
        db.session.add(decision)
        db.session.flush()
        for key, outcome in sorted(given.outcomes.items()):
            db.session.add(
                CategoryDecision(
                    decision_id=decision.id,
                    category_key=key,
                    outcome=outcome,
                    votes=results.scores.votes.get(key, 0),
                )
            )
        change_status(review.client, final_status, lead, f"Decision on review #{review.id}")
        audit.record(
            "review.decided",
            "review",
            review.id,
            lead,
            decision_id=decision.id,
            confirmed=confirmed,
            one_sided=one_sided,
        )
    return decision


def _catalogue_excerpt(results) -> dict:
    """Names and statements as they were, so later catalogue edits change no archived record."""
    catalogue = results.catalogue
    return {
        "dimensions": {
            d.key: {"title": d.title, "team_statement": d.team_statement}
            for d in catalogue.dimensions
        },
        "categories": {c.key: {"name": c.name} for c in catalogue.categories},
    }


def decision_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Decision))
