"""Outgoing e-mail over SMTP, only when SMTP_HOST is configured; sent after commit."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from flask import current_app


def mail_enabled() -> bool:
    return bool(current_app.config.get("SMTP_HOST"))


def absolute_url(path: str) -> str:
    # From configuration, never from the request's Host header (which an attacker controls).
    return current_app.config["BASE_URL"] + path


def send(to: str, subject: str, body: str) -> None:
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["SMTP_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    with smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=15) as smtp:
        if config["SMTP_STARTTLS"]:
            smtp.starttls()
        if config["SMTP_USER"]:
            smtp.login(config["SMTP_USER"], config["SMTP_PASSWORD"])
        smtp.send_message(message)
