"""Access logs without client tokens.

A client link's token is a bearer secret in the URL (/respond/<token>): whoever reads an
access log line with it could answer for the client. Every line is masked before it is
written: gunicorn through `MaskingLogger` (the repository's gunicorn.conf.py sets it; by
hand: `gunicorn --logger-class app.access_log.MaskingLogger wsgi:app`), Flask's
development server through a filter on the "werkzeug" logger.
"""

from __future__ import annotations

import logging
import re

from gunicorn.glogging import Logger

# Anything after /respond/ but the fixed pages of that blueprint.
_TOKEN_PATH = re.compile(r"(/respond/)(?!thanks(?:[/?#\s\"]|$))[^/?#\s\"]+")
MASK = r"\1[token]"


def mask_tokens(text: str) -> str:
    return _TOKEN_PATH.sub(MASK, text)


class MaskingLogger(Logger):
    """gunicorn's logger with the request line, path, referrer and every other atom masked."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {k: mask_tokens(v) if isinstance(v, str) else v for k, v in atoms.items()}


class _MaskingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = mask_tokens(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(mask_tokens(a) if isinstance(a, str) else a for a in record.args)
        return True


def mask_development_server_log() -> None:
    logger = logging.getLogger("werkzeug")
    if not any(isinstance(f, _MaskingFilter) for f in logger.filters):
        logger.addFilter(_MaskingFilter())
