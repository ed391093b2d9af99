"""Build reviews through the real services, so tests see what users would create."""

from __future__ import annotations

from datetime import timedelta

from app.extensions import db
from app.models import Review, utcnow
from app.services import client_links, review_opening, reviews
from app.services.catalogue import catalogue_of, latest_version, load_default_catalogue
from app.services.response_rows import AnswerInput, ResponseInput


def ensure_catalogue():
    load_default_catalogue()
    return catalogue_of(latest_version())


def full_response(
    rating=4,
    confidence=80,
    complexity=3,
    choices=None,
    consent_named=False,
    overrides=None,
    comment="",
):
    """A complete response: every dimension rated `rating` unless `overrides` says otherwise."""
    catalogue = ensure_catalogue()
    overrides = overrides or {}
    answers = {}
    for d in catalogue.dimensions:
        r, c = overrides.get(d.key, (rating, confidence))
        answers[d.key] = AnswerInput(r, c, comment)
    return ResponseInput(
        complexity=complexity,
        answers=answers,
        choices=dict(choices or {}),
        consent_named=consent_named,
    )


def open_review(
    lead, client, members, quorum=None, deadline_days=7, conflict="A conflict.", level=None
):
    ensure_catalogue()
    now = utcnow()
    return review_opening.open_review(
        lead,
        client.id,
        conflict,
        [m.id for m in members],
        now + timedelta(days=deadline_days),
        quorum or len(members),
        now,
        level,
    )


def review_beside(review, state: str) -> Review:
    """A review row of the same client added straight to the session (not through the
    service, which would refuse it), for tests of what the database itself allows."""
    row = Review(
        client_id=review.client_id,
        lead_id=review.lead_id,
        catalogue_version_id=review.catalogue_version_id,
        conflict="Beside the first.",
        deadline=review.deadline,
        quorum=3,
        state=state,
    )
    db.session.add(row)
    return row


def submit(review, member, response=None):
    return reviews.save_response(review.id, member, response or full_response(), True, utcnow())


def answered_review(lead, client, team) -> Review:
    """An open review on which every member of `team` has submitted the same full answer."""
    review = open_review(lead, client, team)
    for member in team:
        submit(review, member)
    return reload(review)


def client_answers(review, lead, rating=4, overrides=None):
    catalogue = ensure_catalogue()
    overrides = overrides or {}
    link, token = client_links.issue_link(review.id, lead, utcnow(), send_email=False)
    ratings = {d.key: overrides.get(d.key, rating) for d in catalogue.dimensions}
    client_links.submit_client_view(token, ratings, {}, "", utcnow())
    return token


def close(review, lead):
    return reviews.close_review(review.id, lead, utcnow())


def reload(review) -> Review:
    db.session.expire_all()
    return db.session.get(Review, review.id)


# "Eternal debtor" links one question, invoicing_followup.
DEBTOR = {"eternal_debtor": "Invoices 2031 and 2040 still open."}


def closed_on_followup(lead, client, members, answers, client_rating: int) -> tuple[Review, list]:
    """A closed review in which every member chose "eternal debtor" and gave
    `answers[i]` = (rating, confidence) on its one question, which the client rated
    `client_rating` (4 on every other). Returns the review and each member's stored label."""
    from app.models import ReviewParticipant

    review = open_review(lead, client, members, quorum=3)
    for member, (rating, confidence) in zip(members, answers, strict=True):
        given = full_response(
            overrides={"invoicing_followup": (rating, confidence)}, choices=DEBTOR
        )
        submit(review, member, given)
    client_answers(review, lead, rating=4, overrides={"invoicing_followup": client_rating})
    close(review, lead)
    labels = dict(
        db.session.query(ReviewParticipant.user_id, ReviewParticipant.label).filter_by(
            review_id=review.id
        )
    )
    return review, [labels[member.id] for member in members]
