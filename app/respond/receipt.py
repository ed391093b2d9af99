"""What this browser remembers of the links it used to send answers.

Every unknown, expired, used or revoked token gets the same polite "no longer valid" page:
someone who only holds a link learns nothing from it. The browser that sent the answers is
the exception. It already knows they were sent, and when it comes back to the link (Back
after sending, a second click on "Send", the link opened again from the e-mail) it is told
"your answers were received" rather than "nothing was saved from this visit", which would
read as if the answers were lost.

The proof is a keyed digest of the token in this browser's signed session cookie: never
the token itself, and nothing another browser can present.
"""

from __future__ import annotations

import hashlib
import hmac

from flask import current_app, session

SESSION_KEY = "respond_sent"
KEEP = 5  # a person answers for a handful of reviews at most; older marks fall off


def _mark(token: str) -> str:
    key = current_app.config["SECRET_KEY"].encode("utf-8")
    message = b"client-view-sent\0" + token.encode("utf-8", "replace")
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:32]


def _marks() -> list[str]:
    stored = session.get(SESSION_KEY)
    if not isinstance(stored, list):
        return []
    return [mark for mark in stored if isinstance(mark, str)]


def remember_sent(token: str) -> None:
    session[SESSION_KEY] = [*_marks()[-(KEEP - 1) :], _mark(token)]


def sent_from_this_browser(token: str) -> bool:
    mark = _mark(token)
    return any(hmac.compare_digest(mark, kept) for kept in _marks())
