"""Structured log lines for what an operator must see: CSRF rejections, rate-limit
refusals, failed logins, e-mail failures and server errors.

One line per event, `key=value` pairs after the event name, on the `candor.*` loggers
(stderr, which gunicorn and systemd's journal collect). Values are quoted when they
hold spaces; a password or a token never reaches this module: callers pass the route's
rule (`/respond/<token>`), never the path that carries the token.
"""

from __future__ import annotations

import logging
import sys

from flask import Flask, g, has_request_context, request

SECURITY = logging.getLogger("candor.security")
MAIL = logging.getLogger("candor.mail")
ERRORS = logging.getLogger("candor.errors")

_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"


def _quoted(value: object) -> str:
    text = str(value).replace("\n", " ").replace("\r", " ")
    if not text or any(ch in text for ch in ' "='):
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return text


def request_fields() -> dict[str, object]:
    """Who and where, without anything secret: the route's rule (its pattern, so a token
    in the path is never written), the method, the client's address and the user id."""
    if not has_request_context():
        return {}
    rule = request.url_rule.rule if request.url_rule is not None else "(no route)"
    fields: dict[str, object] = {
        "method": request.method,
        "route": rule,
        "address": request.remote_addr or "-",
    }
    # Only a user this request already loaded: logging must not query the database (it
    # may run in the middle of a failed transaction).
    user = g.get("_login_user")
    if user is not None and user.is_authenticated:
        fields["user_id"] = user.id
    return fields


def event(
    logger: logging.Logger,
    name: str,
    level: int = logging.WARNING,
    **fields,
) -> None:
    """Log `event=<name>` with the request's fields and the caller's, as one line."""
    merged = {**request_fields(), **fields}
    line = " ".join([f"event={name}"] + [f"{key}={_quoted(v)}" for key, v in merged.items()])
    logger.log(level, line)


def init_app(app: Flask) -> None:
    """Give the candor.* loggers a stderr handler of their own (once), so the lines show
    under gunicorn and the dev server alike."""
    root = logging.getLogger("candor")
    root.setLevel(app.config.get("LOG_LEVEL", "INFO"))
    if not any(getattr(h, "_candor", False) for h in root.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter(_FORMAT))
        handler._candor = True  # type: ignore[attr-defined]
        root.addHandler(handler)
