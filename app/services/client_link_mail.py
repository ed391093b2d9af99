"""E-mailing a client link: compose the message, send it after the commit, record what
became of it.

The link is saved and shown to the lead before any mail is tried, so a mail server that
refuses, is down or never answers loses nothing: the link is marked `failed` (audited
with `emailed: false`), the lead copies it by hand or retries.
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app, render_template
from sqlalchemy import update

from app import logs
from app.extensions import db
from app.i18n import in_language
from app.models import Client, ClientLink, Review, User
from app.services import audit, mail
from app.services._tx import after_commit, transaction


def compose_client_link_email(
    link: ClientLink, review: Review, client: Client, *, url: str, now: datetime
) -> mail.EmailMessage:
    """The one place the client's e-mail is worded (templates/email/, through gettext),
    in the client's language whatever the lead's."""
    config = current_app.config
    words = {
        "link": link,
        "review": review,
        "client": client,
        "url": url,
        "agency": config["AGENCY_NAME"],
        "signature": config["AGENCY_NAME"] or config["MAIL_SENDER_NAME"],
    }
    with in_language(client.language):
        subject = render_template("email/client_link_subject.txt", **words).strip()
        body = render_template("email/client_link.txt", **words).strip() + "\n"
    return mail.new_message(client.contact_email, subject, body, now)


def mail_route(client: Client) -> str:
    """The address a link would be e-mailed to, or "" when mail cannot go out."""
    return client.contact_email if mail.mail_enabled() else ""


def send_after_commit(link: ClientLink, url: str, actor: User, now: datetime) -> None:
    """Queue the e-mail of a link the current transaction marks `pending`."""
    link_id, review_id, actor_id = link.id, link.review_id, actor.id
    after_commit(lambda: _deliver(link_id, review_id, actor_id, url, now))


def _deliver(link_id: int, review_id: int, actor_id: int, url: str, now: datetime) -> None:
    link = db.session.get(ClientLink, link_id)
    review = link.review
    message = compose_client_link_email(link, review, review.client, url=url, now=now)
    try:
        mail.send(message)
    except mail.MailNotSent as failure:
        logs.event(
            logs.MAIL,
            "mail_failed",
            kind="client_link",
            review_id=review_id,
            link_id=link_id,
            reason=failure.reason,
        )
        state, action, details = "failed", "client_link.email_failed", {"reason": failure.reason}
    else:
        state, action, details = "sent", "client_link.emailed", {}
    with transaction():
        db.session.execute(
            update(ClientLink)
            .where(ClientLink.id == link_id)
            .values(email_state=state, emailed_at=now if state == "sent" else None)
        )
        audit.record(
            action,
            "review",
            review_id,
            db.session.get(User, actor_id),
            link_id=link_id,
            emailed=state == "sent",
            **details,
        )
