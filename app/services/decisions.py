"""decide_review: the lead's decision, checked against the domain's verdicts, archived
with its sealed record (app/domain/record.py), chained to the decision before it by an
HMAC whose key the database never holds."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import LargeBinary, cast, func, select, update
from sqlalchemy.exc import IntegrityError

from app.domain.decision_rules import CONFIRMED, check_decision, client_status_after
from app.domain.errors import DecisionRefused
from app.domain.lifecycle import ReviewState, ensure_can_decide, transition
from app.domain.record import answers_digest, build_record, record_text
from app.extensions import db
from app.models import CategoryDecision, Decision, Review, User
from app.services import audit, stored_results
from app.services._tx import transaction
from app.services.catalogue import catalogue_of
from app.services.clients import change_status
from app.services.errors import AnswersChangedSinceShown, ConcurrentChange, TooFewRespondents
from app.services.incidents import sealed_entries
from app.services.records import append_to_chain, facts_of, record_text_hash
from app.services.review_data import raw_answer_rows, results_for
from app.services.reviews import review_led_by
from app.services.row_versions import closed_rows_version
from app.services.thresholds import current_thresholds
from app.services.unchanged_database import while_unchanged


@dataclass(frozen=True)
class DecisionInput:
    outcomes: dict[str, str]  # category key -> "confirmed" | "not_confirmed"
    rationale: str
    waiver_reason: str = ""
    clear_client: bool = False  # when nothing is confirmed: "cleared" instead of "active"
    # The version of the answer rows the lead's decide page was drawn from
    # (`closed_rows_version`); "" asks for no check (a caller that showed no page).
    seen_rows: str = ""


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
        # Locked, as closing and answering are: the state checked here is the one the
        # decision is written on, and no answer can land once it is decided.
        review: Review = review_led_by(review_id, lead, lock=True)
        ensure_can_decide(review.state)
        rows_at_start = _rows_as_seen(review.id, given.seen_rows)
        waiver = given.waiver_reason.strip() or None
        thresholds = current_thresholds()
        try:
            results = results_for(review, waiver)
        except TooFewRespondents as too_few:
            _check_withheld(given, too_few)
            record = _record(review, lead, given, now, None, waiver=None, one_sided=False)
            record["withheld"] = {"respondents": too_few.respondents, "needed": too_few.needed}
            _ensure_rows_held(review.id, rows_at_start)
            return _seal(review, lead, given, now, record)
        check_decision(
            results.verdicts,
            given.outcomes,
            given.rationale,
            given.waiver_reason,
            has_client_view=results.client_response is not None,
        )
        one_sided = _is_one_sided(results, given)
        record = _record(review, lead, given, now, results, waiver, one_sided, thresholds)
        _ensure_rows_held(review.id, rows_at_start)
        return _seal(review, lead, given, now, record, votes=results.scores.votes)


def _check_withheld(given: DecisionInput, too_few: TooFewRespondents) -> None:
    """Too few respondents: no results were shown, so nothing can be confirmed; the lead
    still closes the matter with a rationale."""
    if given.outcomes:
        raise DecisionRefused(
            code="too_few_respondents", respondents=too_few.respondents, needed=too_few.needed
        )
    check_decision((), {}, given.rationale, "", has_client_view=True)  # the rationale rule


def _record(review, lead, given, now, results, waiver, one_sided, thresholds=None) -> dict:
    """The decision's record (schema 2): everything it rested on, from this transaction."""
    catalogue = results.catalogue if results else catalogue_of(review.catalogue_version)
    words = results.client_response if results else None
    return build_record(
        review={
            "id": review.id,
            "conflict": review.conflict,
            "quorum": review.quorum,
            "complexity_floor": review.complexity_floor,
            "opened_at": review.opened_at.isoformat() if review.opened_at else None,
            "closed_at": review.closed_at.isoformat() if review.closed_at else None,
        },
        client={"id": review.client_id, "name": review.client.name},
        decided_by={"id": lead.id, "name": lead.name},
        decided_at=now.isoformat(),
        rationale=given.rationale.strip(),
        outcomes=given.outcomes,
        waiver=waiver,
        one_sided=one_sided,
        final_status=client_status_after(given.outcomes, given.clear_client),
        data=results.data if results else None,
        scores=results.scores if results else None,
        verdicts=results.verdicts if results else (),
        thresholds=thresholds or current_thresholds(),
        catalogue=catalogue,
        named=results.named_participants if results else (),
        evidence=results.evidence if results else {},
        comments=results.comments if results else {},
        client_words=words.to_dict() if words else None,
        raw_answers_digest=answers_digest(raw_answer_rows(review)),
        incidents=sealed_entries(review.id),
    )


def _seal(
    review: Review,
    lead: User,
    given: DecisionInput,
    now: datetime,
    record: dict,
    votes: Mapping[str, int] | None = None,
) -> Decision:
    """Move the review to decided, seal the record into the chain, set the client's status."""
    confirmed = sorted(k for k, o in given.outcomes.items() if o == CONFIRMED)
    moved = db.session.execute(
        update(Review)
        .where(Review.id == review.id, Review.state == ReviewState.CLOSED)
        .values(state=transition(review.state, ReviewState.DECIDED).value)
    ).rowcount
    if moved != 1:
        raise ConcurrentChange()
    text = record_text(record)
    categories = [
        CategoryDecision(category_key=key, outcome=outcome, votes=(votes or {}).get(key, 0))
        for key, outcome in sorted(given.outcomes.items())
    ]
    decision = Decision(
        review_id=review.id,
        client_id=review.client_id,
        decided_by_id=lead.id,
        decided_at=now,
        rationale=record["rationale"],
        one_sided=record["one_sided"],
        waiver_reason=record["waiver"] or "",
        final_status=record["final_status"],
        any_confirmed=bool(confirmed),
        snapshot=None,
        record_text=text,
    )
    append_to_chain(decision, lambda row: facts_of(row, categories), text)
    # The decided page's results, from the text just sealed.
    stored_results.store_record_results(review.id, decision.id, text)
    sequence = decision.sequence
    for category in categories:
        category.decision_id = decision.id
        db.session.add(category)
    change_status(review.client, record["final_status"], lead, f"Decision on review #{review.id}")
    audit.record(
        "review.decided",
        "review",
        review.id,
        lead,
        decision_id=decision.id,
        sequence=sequence,
        confirmed=confirmed,
        one_sided=decision.one_sided,
    )
    return decision


def decision_id_of(review_id: int) -> int | None:
    return db.session.scalar(select(Decision.id).where(Decision.review_id == review_id))


def sealed_record_text(review_id: int) -> str | None:
    """The review's decision's sealed record, exactly as stored (None: no decision, or one
    archived before records were sealed)."""
    return db.session.scalar(select(Decision.record_text).where(Decision.review_id == review_id))


# SQLite keeps text as its UTF-8 bytes: read as a blob, a 100-member review's record of
# some 800 kB is neither decoded nor encoded again for its hash (4.8 -> 0.7 ms per page).
_RECORD_BYTES = select(cast(Decision.record_text, LargeBinary))


def sealed_record_hash(review_id: int) -> str | None:
    """`record_text_hash` of the review's decision's sealed record (None as for
    `sealed_record_text`): what a decided review's comparison page is kept under. Read
    again only once something was written (app/services/unchanged_database.py)."""
    return while_unchanged(("record-hash", review_id), lambda: _record_hash(review_id))


def _record_hash(review_id: int) -> str | None:
    if db.session.get_bind().dialect.name != "sqlite":
        text = sealed_record_text(review_id)
        return record_text_hash(text) if text is not None else None
    stored = db.session.scalar(_RECORD_BYTES.where(Decision.review_id == review_id))
    return hashlib.sha256(stored).hexdigest() if stored is not None else None


def decision_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Decision))


@dataclass(frozen=True)
class DecisionPreview:
    """What a decision would do, for the confirmation page: the client's status after it,
    and whether it is one-sided (the same rule the archive records)."""

    status_after: str
    one_sided: bool


def preview_decision(review_id: int, lead: User, given: DecisionInput) -> DecisionPreview:
    """The checks deciding makes, without writing anything.

    The confirmation page names what follows before anything is written, and a decision
    the rules would refuse is refused here already, not after the lead confirmed.
    """
    review = review_led_by(review_id, lead)
    ensure_can_decide(review.state)
    _rows_as_seen(review.id, given.seen_rows)
    try:
        results = results_for(review, given.waiver_reason.strip() or None)
    except TooFewRespondents as too_few:
        _check_withheld(given, too_few)
        return DecisionPreview(client_status_after({}, given.clear_client), one_sided=False)
    check_decision(
        results.verdicts,
        given.outcomes,
        given.rationale,
        given.waiver_reason,
        has_client_view=results.client_response is not None,
    )
    return DecisionPreview(
        client_status_after(given.outcomes, given.clear_client),
        _is_one_sided(results, given),
    )


def _rows_as_seen(review_id: int, seen: str) -> str | None:
    """The version of the answer rows now, read before the rows the decision rests on.

    The lead decides on the verdicts the page showed: if `seen` is given and the rows are
    no longer the ones the page was drawn from (an edit behind the app's back), nothing is
    recorded."""
    now = closed_rows_version(review_id)
    if seen and now is not None and now != seen:
        raise AnswersChangedSinceShown()
    return now


def _ensure_rows_held(review_id: int, at_start: str | None) -> None:
    """Nothing was written to the answer rows while this decision read them.

    Under READ COMMITTED (PostgreSQL's default) each statement sees what was committed
    when it began. An edit committed between the decision's reads would seal results of
    one set of rows beside the digest of another: a record that says what never was. The
    version read again after every read, before the first write, is the one read at the
    start only if no row was written in between (every write is a new version). SQLite:
    the decision holds the database's write lock from its first statement, so no edit
    can land; the check holds there too."""
    if at_start is not None and closed_rows_version(review_id) != at_start:
        raise AnswersChangedSinceShown()


def _is_one_sided(results, given: DecisionInput) -> bool:
    """One-sided: no client view at all, or a confirmed category rests on the lead's
    reason for questions the client skipped."""
    confirmed = {key for key, outcome in given.outcomes.items() if outcome == CONFIRMED}
    return results.client_response is None or any(
        v.one_sided for v in results.verdicts if v.category_key in confirmed
    )
