"""decide_review: the lead's decision, checked against the domain's verdicts, archived
with a frozen snapshot whose digest is chained to the decision before it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from app.domain.catalogue import Catalogue
from app.domain.decision_rules import CONFIRMED, check_decision, client_status_after
from app.domain.errors import DecisionRefused
from app.domain.lifecycle import ReviewState, ensure_can_decide, transition
from app.domain.snapshot import build_snapshot, chain_digest
from app.extensions import db
from app.models import CategoryDecision, Decision, Review, User
from app.services import audit
from app.services._tx import transaction
from app.services.catalogue import catalogue_of
from app.services.clients import change_status
from app.services.errors import ConcurrentChange, TooFewRespondents
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
        try:
            results = results_for(review, waiver)
        except TooFewRespondents as too_few:
            return _seal(review, lead, given, now, _withheld_snapshot(review, given, too_few))
        check_decision(
            results.verdicts,
            given.outcomes,
            given.rationale,
            given.waiver_reason,
            has_client_view=results.client_response is not None,
        )
        confirmed = {k for k, o in given.outcomes.items() if o == CONFIRMED}
        # One-sided: no client view at all, or a confirmed category rests on the lead's
        # reason for questions the client skipped.
        one_sided = results.client_response is None or any(
            v.one_sided for v in results.verdicts if v.category_key in confirmed
        )
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
        snapshot["respondents"] = results.scores.respondents
        snapshot["client_source"] = (
            results.client_response.source if results.client_response else None
        )
        snapshot["catalogue"] = _catalogue_excerpt(results.catalogue)
        return _seal(review, lead, given, now, snapshot, votes=results.scores.votes)


def _withheld_snapshot(review: Review, given: DecisionInput, too_few: TooFewRespondents) -> dict:
    """Too few respondents: no results were shown, so nothing can be confirmed; the record
    keeps why, and no aggregate that would expose one member's answers."""
    if given.outcomes:
        raise DecisionRefused(
            "Too few respondents to confirm anything.",
            code="too_few_respondents",
            respondents=too_few.respondents,
            needed=too_few.needed,
        )
    if not given.rationale.strip():
        raise DecisionRefused(
            "Write the rationale for your decision.", "rationale", code="rationale_missing"
        )
    catalogue = catalogue_of(review.catalogue_version)
    snapshot = build_snapshot(
        scores=None,
        verdicts=(),
        conflict=review.conflict,
        client_name=review.client.name,
        decided_by="",  # both set when sealed
        decided_at="",
        rationale=given.rationale.strip(),
        outcomes={},
        participants=[],
        one_sided=False,
        waiver=None,
        thresholds=current_thresholds(),
        catalogue_version=catalogue.version,
    )
    snapshot["respondents"] = too_few.respondents
    snapshot["withheld"] = {"respondents": too_few.respondents, "needed": too_few.needed}
    snapshot["catalogue"] = _catalogue_excerpt(catalogue)
    return snapshot


def _seal(
    review: Review,
    lead: User,
    given: DecisionInput,
    now: datetime,
    snapshot: dict,
    votes: Mapping[str, int] | None = None,
) -> Decision:
    """Move the review to decided, chain the record and set the client's status."""
    confirmed = sorted(k for k, o in given.outcomes.items() if o == CONFIRMED)
    final_status = client_status_after(given.outcomes, given.clear_client)
    moved = db.session.execute(
        update(Review)
        .where(Review.id == review.id, Review.state == ReviewState.CLOSED)
        .values(state=transition(review.state, ReviewState.DECIDED).value)
    ).rowcount
    if moved != 1:
        raise ConcurrentChange()
    sequence, previous = _next_link()
    snapshot["review_id"] = review.id
    snapshot["final_status"] = final_status
    snapshot["decided_by"] = lead.name
    snapshot["decided_at"] = now.isoformat()
    decision = Decision(
        review_id=review.id,
        client_id=review.client_id,
        decided_by_id=lead.id,
        decided_at=now,
        rationale=given.rationale.strip(),
        one_sided=bool(snapshot["one_sided"]),
        waiver_reason=snapshot["waiver"] or "",
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
                votes=(votes or {}).get(key, 0),
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
        one_sided=decision.one_sided,
    )
    return decision


def _catalogue_excerpt(catalogue: Catalogue) -> dict:
    """Names and statements as they were, so later catalogue edits change no archived record."""
    return {
        "dimensions": {
            d.key: {"title": d.title, "team_statement": d.team_statement}
            for d in catalogue.dimensions
        },
        "categories": {c.key: {"name": c.name} for c in catalogue.categories},
    }


def decision_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Decision))
