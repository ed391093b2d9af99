"""gunicorn's settings for Candor. gunicorn reads ./gunicorn.conf.py by default, so
`gunicorn --workers 3 wsgi:app` from this directory uses it; elsewhere pass `-c`.

- Access log lines never hold a client link's token (app/access_log.py).
- With more than one worker, a warning unless the rate limiter counts in a shared store
  (app/rate_limits.py).
"""

import os

logger_class = "app.access_log.MaskingLogger"


def when_ready(server):
    from app.rate_limits import shared_storage_warning

    storage = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    warning = shared_storage_warning(storage, server.cfg.workers)
    if warning:
        server.log.warning(warning)
