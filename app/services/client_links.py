"""The client's private link and the client's view of the review.

Opening a link (GET) never spends it: mail scanners open links before people do.
Only submitting the answers spends it, and that is a conditional update, so the
database decides which of two racing submissions wins.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from app.domain.errors import ReviewAlreadyClosed
from app.domain.lifecycle import ReviewState, ensure_can_answer
from app.extensions import db
from app.models import (
    ClientAnswerRow,
    ClientLink,
    ClientResponseRow,
    Review,
    TeamResponseRow,
    User,
)
from app.services import audit, client_link_mail, mail
from app.services._tx import transaction
from app.services.catalogue import catalogue_of
from app.services.errors import (
    ClientViewAlreadyRecorded,
    InvalidClientLink,
    InvalidInput,
    NoClientAnswers,
    NotFound,
    RecorderAnsweredReview,
)
from app.services.review_data import client_response_of
from app.services.reviews import lock_review, review_led_by

TOKEN_BYTES = 32  # 256 bits


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def links_of(review: Review) -> list[ClientLink]:
    return list(
        db.session.scalars(
            select(ClientLink)
            .where(ClientLink.review_id == review.id)
            .order_by(ClientLink.id.desc())
        )
    )


def link_state(link: ClientLink, now: datetime) -> str:
    if link.used_at:
        return "used"
    if link.revoked_at:
        return "revoked"
    if link.expires_at <= now:
        return "expired"
    return "active"


def issue_link(
    review_id: int, lead: User, now: datetime, send_email: bool = True
) -> tuple[ClientLink, str]:
    """Create a link and return the token once; only its hash is stored.

    A new link revokes the older ones still active: the client acts on the latest message,
    and "replaced by a newer link" on the invalid-link page is then true. The e-mail (when
    asked for and possible) goes out after the commit; its outcome is recorded on the link.
    """
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with transaction():
        review = review_led_by(review_id, lead)
        ensure_can_answer(review.state)
        if client_response_of(review) is not None:
            raise ClientViewAlreadyRecorded()
        days = current_app.config["CLIENT_LINK_DAYS"]
        recipient = client_link_mail.mail_route(review.client) if send_email else ""
        replaced = _revoke_active_links(review, now)
        link = ClientLink(
            review_id=review.id,
            token_hash=hash_token(token),
            expires_at=now + timedelta(days=days),
            created_by_id=lead.id,
            created_at=now,
            sent_to=recipient,
            email_state="pending" if recipient else "none",
        )
        db.session.add(link)
        db.session.flush()
        audit.record(
            "client_link.issued",
            "review",
            review.id,
            lead,
            link_id=link.id,
            email_requested=bool(recipient),
            revoked_links=replaced,
        )
        if recipient:
            client_link_mail.send_after_commit(link, respond_url(token), lead, now)
    return link, token


def respond_url(token: str) -> str:
    """The client's absolute address of a link, from BASE_URL (never the request's Host)."""
    return mail.absolute_url(f"/respond/{token}")


def _revoke_active_links(review: Review, now: datetime) -> list[int]:
    active = [
        link.id
        for link in links_of(review)
        if link.used_at is None and link.revoked_at is None and link.expires_at > now
    ]
    if active:
        db.session.execute(
            update(ClientLink).where(ClientLink.id.in_(active)).values(revoked_at=now)
        )
    return active


def email_link_again(
    review_id: int, link_id: int, token: str, lead: User, now: datetime
) -> ClientLink:
    """E-mail a still-active link (after a failure, or when the lead chose to copy it).

    Only the hash is stored, so the token comes back from the page that showed it; a
    token that does not belong to the link is treated as a link that does not exist."""
    with transaction():
        review = review_led_by(review_id, lead)
        link = db.session.get(ClientLink, link_id)
        if (
            link is None
            or link.review_id != review.id
            or not hmac.compare_digest(link.token_hash, hash_token(token or ""))
        ):
            raise NotFound("No such link on this review.")
        if link_state(link, now) != "active" or review.state != ReviewState.OPEN.value:
            raise InvalidClientLink()
        recipient = client_link_mail.mail_route(review.client)
        if not recipient:
            raise InvalidInput("E-mail cannot be sent for this client.", code="no_mail_route")
        link.sent_to = recipient
        link.email_state = "pending"
        audit.record("client_link.email_requested", "review", review.id, lead, link_id=link.id)
        client_link_mail.send_after_commit(link, respond_url(token), lead, now)
    return link


def revoke_link(review_id: int, link_id: int, lead: User, now: datetime) -> ClientLink:
    with transaction():
        review = review_led_by(review_id, lead)
        link = db.session.get(ClientLink, link_id)
        if link is None or link.review_id != review.id:
            raise NotFound("No such link on this review.")
        if link.revoked_at is None and link.used_at is None:
            link.revoked_at = now
            audit.record("client_link.revoked", "review", review.id, lead, link_id=link.id)
    return link


def find_usable_link(token: str, now: datetime) -> ClientLink:
    """The link behind a token, if it can still be answered; one error for every failure."""
    if not token or len(token) > 100:
        raise InvalidClientLink()
    digest = hash_token(token)
    link = db.session.scalar(select(ClientLink).where(ClientLink.token_hash == digest))
    # The lookup is by hash; compare again in constant time so no timing tells how close
    # a guess was.
    if link is None or not hmac.compare_digest(link.token_hash, digest):
        raise InvalidClientLink()
    if link_state(link, now) != "active" or link.review.state != ReviewState.OPEN.value:
        raise InvalidClientLink()
    return link


def _validate_ratings(review: Review, ratings: dict[str, int], comments: dict[str, str]) -> None:
    """The client may skip any statement it cannot judge: only answered statements are
    given, and a skipped one gets no row. At least one must be answered."""
    catalogue = catalogue_of(review.catalogue_version)
    unknown = (set(ratings) | set(comments)) - set(catalogue.dimension_keys)
    if unknown:
        raise InvalidInput(
            "Unknown question: " + ", ".join(sorted(unknown)) + ".", code="unknown_keys"
        )
    if not ratings:
        raise NoClientAnswers()
    if any(type(r) is not int or not (1 <= r <= 5) for r in ratings.values()):
        raise InvalidInput("Every answer must be between 1 and 5.", code="rating_out_of_range")
    # A comment is stored with its answer; on a skipped statement it would be lost unseen.
    if any(key not in ratings and text.strip() for key, text in comments.items()):
        raise InvalidInput(
            "A comment can only be kept with an answer to its statement.",
            code="comment_without_answer",
        )


def answered_by(review: Review, user: User) -> bool:
    """Whether this user submitted a team answer on the review."""
    return (
        db.session.scalar(
            select(TeamResponseRow.id).where(
                TeamResponseRow.review_id == review.id,
                TeamResponseRow.user_id == user.id,
                TeamResponseRow.status == "submitted",
            )
        )
        is not None
    )


def ensure_may_record_client_view(review: Review, user: User) -> None:
    """The client's view is the check on the team's own: whoever rated the team on this
    review may not also write down what the client said."""
    if answered_by(review, user):
        raise RecorderAnsweredReview()


def _store_view(
    review: Review, ratings: dict[str, int], comments: dict[str, str], **source
) -> ClientResponseRow:
    response = ClientResponseRow(review_id=review.id, **source)
    for key, rating in ratings.items():
        response.answers.append(
            ClientAnswerRow(dimension_key=key, rating=rating, comment=comments.get(key, "").strip())
        )
    db.session.add(response)
    try:
        db.session.flush()
    except IntegrityError as error:
        raise ClientViewAlreadyRecorded() from error
    db.session.execute(
        update(Review).where(Review.id == review.id).values(data_version=Review.data_version + 1)
    )
    return response


def submit_client_view(
    token: str, ratings: dict[str, int], comments: dict[str, str], comment: str, now: datetime
) -> ClientResponseRow:
    with transaction():
        link = find_usable_link(token, now)
        # The review's state, checked again under its lock: a close that committed after
        # the link was looked up refuses the answer instead of being overtaken by it. The
        # client gets the same polite "no longer valid" page as for a closed review's link.
        review = lock_review(link.review_id)
        try:
            ensure_can_answer(review.state)
        except ReviewAlreadyClosed as closed:
            raise InvalidClientLink() from closed
        _validate_ratings(review, ratings, comments)
        spent = db.session.execute(
            update(ClientLink)
            .where(
                ClientLink.id == link.id,
                ClientLink.used_at.is_(None),
                ClientLink.revoked_at.is_(None),
                ClientLink.expires_at > now,
            )
            .values(used_at=now)
        ).rowcount
        if spent != 1:
            raise InvalidClientLink()
        response = _store_view(
            review,
            ratings,
            comments,
            source="link",
            link_id=link.id,
            comment=comment.strip(),
            submitted_at=now,
        )
        audit.record(
            "client_view.submitted",
            "review",
            link.review_id,
            None,
            actor_label="client (private link)",
            link_id=link.id,
            answers=len(ratings),
        )
    return response


def record_client_view(
    review_id: int,
    lead: User,
    ratings: dict[str, int],
    comments: dict[str, str],
    source_quote: str,
    now: datetime,
) -> ClientResponseRow:
    """The lead records what the client said in its own messages, quoting the source."""
    if not source_quote.strip():
        raise InvalidInput(
            "Quote the client's own words and say where they come from.",
            "source_quote",
            code="source_quote_missing",
        )
    with transaction():
        # Locked before the state check, as for every answer (see reviews.lock_review).
        review = review_led_by(review_id, lead, lock=True)
        ensure_can_answer(review.state)
        ensure_may_record_client_view(review, lead)
        _validate_ratings(review, ratings, comments)
        response = _store_view(
            review,
            ratings,
            comments,
            source="lead",
            recorded_by_id=lead.id,
            source_quote=source_quote.strip(),
            submitted_at=now,
        )
        # A recorded view replaces the need for a link: retire any still-active one.
        db.session.execute(
            update(ClientLink)
            .where(
                ClientLink.review_id == review.id,
                ClientLink.used_at.is_(None),
                ClientLink.revoked_at.is_(None),
            )
            .values(revoked_at=now)
        )
        audit.record(
            "client_view.recorded_by_lead", "review", review.id, lead, answers=len(ratings)
        )
    return response
