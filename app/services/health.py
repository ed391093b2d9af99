"""What a load balancer asks: can this instance reach what it needs right now?

The database always; Redis when the deployment uses it (the rate limiter's storage, and
`REDIS_URL` when set). Each check gets a few seconds and reports "ok" or "unavailable";
an error's text stays in the log, never in the answer (it could name hosts or users).
"""

from __future__ import annotations

import logging

from flask import current_app
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.extensions import db

log = logging.getLogger(__name__)
REDIS_TIMEOUT_SECONDS = 2
OK, UNAVAILABLE = "ok", "unavailable"


def _database() -> str:
    try:
        db.session.execute(text("SELECT 1"))
        db.session.rollback()
        return OK
    except SQLAlchemyError as error:
        log.warning("health: database unavailable (%s)", error.__class__.__name__)
        db.session.remove()
        return UNAVAILABLE


def _redis(url: str) -> str:
    import redis

    try:
        client = redis.Redis.from_url(
            url,
            socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
            socket_timeout=REDIS_TIMEOUT_SECONDS,
        )
        try:
            return OK if client.ping() else UNAVAILABLE
        finally:
            client.close()
    except (redis.RedisError, OSError, ValueError) as error:
        log.warning("health: redis unavailable (%s)", error.__class__.__name__)
        return UNAVAILABLE


def redis_urls() -> dict[str, str]:
    """The Redis stores this deployment is configured with, by what they serve."""
    config = current_app.config
    urls = {}
    storage = config.get("RATELIMIT_STORAGE_URI", "")
    if storage.startswith(("redis://", "rediss://")):
        urls["rate_limits"] = storage
    if config.get("REDIS_URL"):
        urls["redis"] = config["REDIS_URL"]
    return urls


def check() -> dict[str, str]:
    checks = {"database": _database()}
    for name, url in redis_urls().items():
        checks[name] = _redis(url)
    return checks
