"""Where the rate limiter counts, and a loud warning when that cannot work.

`memory://` counts inside one process: with several gunicorn workers each keeps its own
counts and every limit is multiplied by the number of workers (29 logins a minute per
account got through with three). The login throttle (app/auth/throttle.py) keeps its
counters in the same storage. With more than one worker, use a shared store:
`RATELIMIT_STORAGE_URI=redis://host:6379/0`.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable

from flask import Flask

from app.extensions import limiter

log = logging.getLogger(__name__)


def is_per_process(storage_uri: str) -> bool:
    return storage_uri.strip().lower().startswith("memory://")


def shared_storage_warning(storage_uri: str, workers: int | None) -> str | None:
    """The warning to log, or None. `workers` None: unknown (not started by gunicorn)."""
    if not is_per_process(storage_uri):
        return None
    if workers is not None and workers <= 1:
        return None
    who = f"{workers} worker processes" if workers else "more than one worker process"
    return (
        f"RATELIMIT_STORAGE_URI is {storage_uri!r}, which counts per process: with {who} "
        "every rate limit and the login throttle are multiplied by the number of workers. "
        "Set RATELIMIT_STORAGE_URI to a shared store, e.g. redis://127.0.0.1:6379/0."
    )


def warn_at_start(app: Flask) -> None:
    """In production the app cannot know how many workers will run it: warn whenever the
    counts stay in process memory (gunicorn.conf.py warns again with the real number)."""
    if app.config["CANDOR_ENV"] != "production" or not app.config["RATELIMIT_ENABLED"]:
        return
    warning = shared_storage_warning(app.config["RATELIMIT_STORAGE_URI"], None)
    if warning:
        log.warning(warning)


def limited(limit_value: str | Callable[[], str], **options) -> Callable:
    """`limiter.limit`, checked when the view is called. The limiter does not check every
    request by itself (auto_check is off, app/extensions.py): a view with a limit must be
    decorated with this, not with `limiter.limit` alone, which would count nothing."""

    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def checked(*args, **kwargs):
            limiter.check()  # 429 (RateLimitExceeded) past the limit
            return view(*args, **kwargs)

        return limiter.limit(limit_value, **options)(checked)

    return decorate
