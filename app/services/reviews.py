"""The review's life: open, answer blind (draft, submit), close."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import bindparam, func, inspect, select, update
from sqlalchemy.orm import joinedload

from app.database import PREPARED, prepared
from app.domain.catalogue import Catalogue
from app.domain.decision_rules import missing_for_submission
from app.domain.errors import IncompleteResponse
from app.domain.lifecycle import ReviewState, ensure_can_answer, ensure_can_close, transition
from app.extensions import db
from app.models import (
    CatalogueVersion,
    Review,
    ReviewParticipant,
    TeamResponseRow,
    User,
)
from app.services import audit, response_rows, stored_results
from app.services._tx import transaction
from app.services.catalogue import catalogue_of, catalogue_of_version
from app.services.errors import (
    ConcurrentChange,
    Forbidden,
    InvalidInput,
    NotFound,
    ResponseAlreadySubmitted,
)
from app.services.response_rows import ResponseInput


def find_review(review_id: int) -> Review:
    # With its client, in the same statement: nearly every page of a review names it (the
    # comparison page's kept content is keyed by it), and a lazy load is a round trip more.
    # Prepared (app/database.py): a row by its key, on every page of a review.
    review = db.session.get(
        Review, review_id, options=[joinedload(Review.client)], execution_options=PREPARED
    )
    if review is None:
        raise NotFound("No such review.")
    return review


def is_participant(review: Review, user: User) -> bool:
    if "participants" not in inspect(review).unloaded:
        return any(p.user_id == user.id for p in review.participants)
    # Not loaded yet: one EXISTS rather than every member's row (fifty on a large team).
    return db.session.scalar(
        select(ReviewParticipant.id)
        .where(ReviewParticipant.review_id == review.id, ReviewParticipant.user_id == user.id)
        .exists()
        .select()
    )


def team_of(review: Review) -> list[ReviewParticipant]:
    """The review's participants with their users, in one statement (a lazy load per
    member cost a hundred statements on a 100-member review's page), by name."""
    rows = db.session.scalars(
        select(ReviewParticipant)
        .where(ReviewParticipant.review_id == review.id)
        .options(joinedload(ReviewParticipant.user))
    ).all()
    return sorted(rows, key=lambda participant: participant.user.name.lower())


def leads_review(review: Review, user: User) -> bool:
    """The review's own lead, or an admin (who may do everything a lead does)."""
    return user.is_admin or review.lead_id == user.id


def review_for(review_id: int, user: User) -> Review:
    """The review if this user may open it: its lead, an admin, or a participant.

    To anyone else it does not exist: the same NotFound as a missing id, so counting
    refusals cannot tell how many reviews there are or which ids are real."""
    review = find_review(review_id)
    if leads_review(review, user) or is_participant(review, user):
        return review
    raise NotFound("No such review.")


class Answering(NamedTuple):
    """What the answer page starts from: the review, its catalogue, the member's own
    response (None before the first save)."""

    review: Review
    catalogue: Catalogue
    own: TeamResponseRow | None


def _review_to_answer_statement():
    user_id = bindparam("user_id")
    on_team = (
        select(ReviewParticipant.id)
        .where(ReviewParticipant.review_id == Review.id, ReviewParticipant.user_id == user_id)
        .exists()
    )
    return (
        select(Review, on_team, CatalogueVersion.version, CatalogueVersion.created_at)
        .add_columns(TeamResponseRow)
        .join(CatalogueVersion, CatalogueVersion.id == Review.catalogue_version_id)
        .outerjoin(
            TeamResponseRow,
            (TeamResponseRow.review_id == Review.id) & (TeamResponseRow.user_id == user_id),
        )
        .where(Review.id == bindparam("review_id"))
    )


# Built once: on a submit, building a statement and its cache key cost more than
# running it.
_REVIEW_TO_ANSWER = _review_to_answer_statement()


def review_to_answer(review_id: int, user: User) -> Answering:
    """The review if this user is on its team, read in one statement with its catalogue
    version and the user's own response (a lookup each made four round trips), for the
    answer page (a valid post is saved without it: `save_posted_response`). Its lead or an
    admin who is not on the team may open the review but not answer it; to anyone else it
    does not exist, as in `review_for`."""
    found = db.session.execute(
        _REVIEW_TO_ANSWER, {"review_id": review_id, "user_id": user.id}
    ).first()
    if found is None:
        raise NotFound("No such review.")
    review, participant, version, created_at, own = found
    if participant:
        catalogue = catalogue_of_version(review.catalogue_version_id, version, created_at)
        return Answering(review, catalogue, own)
    if leads_review(review, user):
        raise Forbidden("Only the review's team answers it.")
    raise NotFound("No such review.")


def review_led_by(review_id: int, user: User, *, lock: bool = False) -> Review:
    """The review if this user leads it; `lock=True` reads it through `lock_review`."""
    review = lock_review(review_id) if lock else find_review(review_id)
    if not leads_review(review, user):
        if not is_participant(review, user):
            raise NotFound("No such review.")  # as in review_for: no hint that it exists
        raise Forbidden("Only the review's lead can do this.")
    return review


# Built once: whatever changes a review's state takes this lock (exclusive).
_LOCK_REVIEW = (
    select(Review)
    .where(Review.id == bindparam("review_id"))
    .with_for_update(of=Review)
    # The session may hold this review from an earlier read: take the row as locked.
    .execution_options(populate_existing=True)
)
# Built once (every answer saved takes it): the review locked shared, read in the same
# statement as where the member stands on it (response_rows.standing_columns).
_LOCK_TO_ANSWER = prepared(  # every answer's save: fifty at once (app/database.py)
    select(Review, *response_rows.standing_columns())
    .join(CatalogueVersion, CatalogueVersion.id == Review.catalogue_version_id)
    .where(Review.id == bindparam("review_id"))
    .with_for_update(of=Review, read=True)
    .execution_options(populate_existing=True)
)
_SQLITE_WRITE_LOCK = (
    update(Review)
    .where(Review.id == bindparam("review_id"))
    .values(data_version=Review.data_version)
    .execution_options(synchronize_session=False)
)


def lock_review(review_id: int) -> Review:
    """The review, read afresh and locked until the current transaction ends.

    Whatever depends on the review's state (answering, closing, deciding) takes this
    lock first and checks the state after it, in the same transaction as its writes:
    a check made before the lock can be stale by the time the write lands (PITFALLS 20).
    Everyone takes the review row first, so the lock order is the same everywhere.

    PostgreSQL: `SELECT ... FOR UPDATE` on the row; a second caller waits here until the
    first commits, then reads the committed state. Saving an answer takes it shared
    (`lock_to_answer`).

    SQLite has no row locks and ignores FOR UPDATE, so a no-op write to the row makes it
    take the database's write lock (RESERVED) now instead of at the first real write:
    nobody else can write until this transaction ends, and the state read after it is
    the latest.
    """
    _sqlite_write_lock(review_id)
    review = db.session.scalar(_LOCK_REVIEW, {"review_id": review_id})
    if review is None:
        raise NotFound("No such review.")
    return review


def lock_to_answer(review_id: int, user_id: int) -> tuple[Review, response_rows.Standing]:
    """The review locked as `lock_review` does, but shared (`FOR SHARE`): answers hold it
    together, so fifty members submitting at once do not queue on one another, while a
    close, a decision, a cancellation or a change of team waits for them all (and they
    for it), exactly as before. Returned with where the user stands on it, read by the
    same statement."""
    _sqlite_write_lock(review_id)
    found = db.session.execute(
        _LOCK_TO_ANSWER, {"review_id": review_id, "user_id": user_id}
    ).first()
    if found is None:
        raise NotFound("No such review.")
    return found[0], response_rows.Standing(*found[1:])


def _sqlite_write_lock(review_id: int) -> None:
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.execute(_SQLITE_WRITE_LOCK, {"review_id": review_id})


def catalogue_for(review: Review) -> Catalogue:
    return catalogue_of(review.catalogue_version)


def own_response(review: Review, user: User) -> TeamResponseRow | None:
    return db.session.scalar(
        select(TeamResponseRow).where(
            TeamResponseRow.review_id == review.id, TeamResponseRow.user_id == user.id
        )
    )


def _check_known_keys(catalogue: Catalogue, given: ResponseInput) -> None:
    unknown = [k for k in given.answers if not catalogue.has_dimension(k)]
    unknown += [k for k in given.choices if not catalogue.has_category(k)]
    if unknown:
        raise InvalidInput(
            "Unknown question or category: " + ", ".join(sorted(unknown)) + ".",
            code="unknown_keys",
        )


def submission_gaps(catalogue: Catalogue, given: ResponseInput) -> list:
    """What a submission of `given` still misses (`missing_for_submission`'s gaps)."""
    return missing_for_submission(
        catalogue,
        given.complexity,
        {key: (a.rating, a.confidence) for key, a in given.answers.items()},
        given.choices,
    )


# What a post reader makes of a post against the review's catalogue: what the member
# gave and whether it submits, or None to save nothing (see save_posted_response).
PostReader = Callable[[Catalogue], tuple[ResponseInput, bool] | None]


def save_response(
    review_id: int, user: User, given: ResponseInput, submit: bool, now: datetime
) -> int:
    """Save a draft, or submit (which locks the response); returns the response's id.
    A submitted response is never overwritten: a second submission is refused and the
    first is kept."""
    return save_posted_response(review_id, user, lambda _catalogue: (given, submit), now)


def save_posted_response(review_id: int, user: User, read: PostReader, now: datetime) -> int | None:
    """`save_response` for a post that can only be read against the review's catalogue:
    `read` is called once the review is locked and checked, and its answer is saved as
    `save_response` saves one. None (nothing saved) when `read` declines the post.

    An answer page's usual post is saved this way without a read of the review before
    the save's own lock: on a submit, that read was a statement in four."""
    with transaction():
        # Locked before the state check, shared: a close or a decision (which lock the
        # review exclusively) cannot slip in between the check and the writes below, while
        # members answering at the same time do not wait for one another.
        review, seen = lock_to_answer(review_id, user.id)
        if not seen.participant:
            raise Forbidden("You are not a participant of this review.")
        ensure_can_answer(review.state)
        catalogue = catalogue_of_version(
            review.catalogue_version_id, seen.catalogue_number, seen.catalogue_created_at
        )
        posted = read(catalogue)
        if posted is None:
            return None
        given, submit = posted
        _check_known_keys(catalogue, given)
        if submit and seen.recorded_client_view:
            # The client's view is the check on the team's: whoever wrote it down may not
            # also rate the team (the reverse of client_links.ensure_may_record_client_view).
            raise Forbidden(
                "You recorded the client's view on this review, so you cannot also answer it.",
                code="answer_after_recording",
            )
        if submit:
            missing = submission_gaps(catalogue, given)
            if missing:
                raise IncompleteResponse(missing)
        if seen.response_status == "submitted":
            raise ResponseAlreadySubmitted()
        fields = response_rows.response_fields(given, submit, now)
        action = "response.submitted" if submit else "response.draft_saved"
        event = audit.event_row(action, "review", review_id, user)
        response_id = seen.response_id
        if response_id is None:
            response_id = response_rows.write_first_response(review, user.id, fields, given, event)
            if response_id is not None:
                return response_id  # written whole, event included; committed on the way out
            response_id = response_rows.committed_response_id(review, user.id)
        response_rows.update_draft(response_id, fields)
        response_rows.write_answers(response_id, False, given)
        audit.write(event)
    return response_id


def submitted_count(review: Review) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(TeamResponseRow)
        .where(TeamResponseRow.review_id == review.id, TeamResponseRow.status == "submitted")
    )


def close_review(review_id: int, lead: User, now: datetime) -> Review:
    with transaction():
        # Locked: an answer being saved finishes first (and is counted) or waits and is
        # refused; a second close waits and then finds the review closed.
        review = review_led_by(review_id, lead, lock=True)
        submitted = submitted_count(review)
        ensure_can_close(review.state, submitted, review.quorum, review.deadline, now)
        target = transition(review.state, ReviewState.CLOSED)
        # Also guarded by the state read above (belt and braces with the lock).
        closed = db.session.execute(
            update(Review)
            .where(Review.id == review.id, Review.state == review.state)
            .values(state=target, closed_at=now, closed_by_id=lead.id)
        ).rowcount
        if closed != 1:
            raise ConcurrentChange()
        audit.record("review.closed", "review", review.id, lead, submitted=submitted)
        # The answers are frozen from here: their results are worked out once, now.
        stored_results.store_results(review)
    db.session.refresh(review)
    return review


def extend_deadline(review_id: int, lead: User, deadline: datetime, now: datetime) -> Review:
    """Move an open review's deadline later, e.g. when nobody has answered in time."""
    with transaction():
        review = review_led_by(review_id, lead, lock=True)
        ensure_can_answer(review.state)
        if deadline <= now or deadline <= review.deadline:
            raise InvalidInput(
                "The new deadline must be later than the current one and in the future.",
                code="deadline_not_later",
            )
        old = review.deadline
        review.deadline = deadline
        audit.record(
            "review.deadline_extended",
            "review",
            review.id,
            lead,
            old=old.isoformat(),
            new=deadline.isoformat(),
        )
    return review
