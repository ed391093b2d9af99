"""Outgoing e-mail over SMTP, only when SMTP_HOST is configured; sent after commit.

A send is short-lived on purpose (SMTP_TIMEOUT, 5 s by default): the person who asked
for it waits, and whatever needed saving was committed before. Every failure, refused,
unreachable or silent server alike, is one `MailNotSent` for the caller to record.
"""

from __future__ import annotations

import smtplib
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid

from flask import current_app


class MailNotSent(Exception):
    """The message did not reach the SMTP server; `reason` names the failure's kind."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


def mail_enabled() -> bool:
    return bool(current_app.config.get("SMTP_HOST"))


def absolute_url(path: str) -> str:
    # From configuration, never from the request's Host header (which an attacker controls).
    return current_app.config["BASE_URL"] + path


def new_message(to: str, subject: str, body: str, now: datetime) -> EmailMessage:
    """A plain-text message with the headers a mail server and a reader expect: From with
    the configured sender name, Date, and a Message-ID in the sender's domain."""
    config = current_app.config
    sender = config["SMTP_FROM"]
    message = EmailMessage()
    message["From"] = formataddr((config["MAIL_SENDER_NAME"], sender))
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(now)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or "localhost")
    message.set_content(body)
    return message


def send(message: EmailMessage) -> None:
    config = current_app.config
    try:
        with smtplib.SMTP(
            config["SMTP_HOST"], config["SMTP_PORT"], timeout=config["SMTP_TIMEOUT"]
        ) as smtp:
            if config["SMTP_STARTTLS"]:
                smtp.starttls()
            if config["SMTP_USER"]:
                smtp.login(config["SMTP_USER"], config["SMTP_PASSWORD"])
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        # OSError covers refused connections and timeouts (socket.timeout is one).
        raise MailNotSent(type(error).__name__) from error
