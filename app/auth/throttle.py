"""Failed logins per account: slowed down progressively, never turned against the owner.

A hard per-account limit lets anyone lock anyone out: ten wrong passwords from ten
addresses and the owner's right password is refused too, the only admin's included. Here:

- The first `LOGIN_FREE_FAILURES` failures within `LOGIN_FAILURE_WINDOW_SECONDS` cost
  nothing; each further failure makes the account wait before its next attempt, doubling
  from 2 seconds up to `LOGIN_DELAY_MAX_SECONDS`. A guesser gets a few attempts a minute
  per account, however many addresses it has; the owner waits at most that long.
- A browser that has logged in to the account before holds a signed *device cookie*; its
  attempts are counted apart from everybody else's, so strangers' failures never slow the
  owner down on their own device (OWASP's "device cookies").
- The per-address limit (`LOGIN_RATE_LIMIT`, Flask-Limiter) stays as it was.

The counters live in the rate limiter's storage: shared by every worker when that is Redis.
Unknown e-mail addresses are counted like real ones, so the wait tells nothing about
which accounts exist. Keys hold an HMAC of the address, never the address itself.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

from flask import Response, current_app, request
from itsdangerous import BadSignature, URLSafeSerializer

from app.extensions import limiter

DEVICE_COOKIE = "candor_device"
DEVICE_COOKIE_DAYS = 365
FIRST_DELAY_SECONDS = 2
ACCOUNTS_PER_DEVICE = 5  # a shared computer may know a few accounts


def _account(email: str) -> str:
    key = current_app.config["SECRET_KEY"].encode("utf-8")
    return hmac.new(key, email.strip().lower().encode("utf-8"), hashlib.sha256).hexdigest()[:32]


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="candor-device")


def _device() -> dict:
    """The browser's device cookie: {"d": device id, "a": [accounts it logged in to]}."""
    try:
        value = _serializer().loads(request.cookies.get(DEVICE_COOKIE, ""))
    except BadSignature:
        return {}
    return value if isinstance(value, dict) else {}


@dataclass(frozen=True)
class LoginThrottle:
    key: str

    @property
    def _wait_key(self) -> str:
        return self.key + ":wait"

    def wait_seconds(self) -> int:
        """Seconds before this account may try again from here (0: now)."""
        storage = limiter.storage
        if not storage.get(self._wait_key):
            return 0
        return max(1, round(storage.get_expiry(self._wait_key) - time.time()))

    def failed(self) -> None:
        config = current_app.config
        storage = limiter.storage
        failures = storage.incr(self.key, config["LOGIN_FAILURE_WINDOW_SECONDS"])
        beyond = failures - config["LOGIN_FREE_FAILURES"]
        if beyond > 0:
            delay = min(FIRST_DELAY_SECONDS * 2 ** (beyond - 1), config["LOGIN_DELAY_MAX_SECONDS"])
            storage.clear(self._wait_key)
            storage.incr(self._wait_key, max(1, int(delay)))

    def succeeded(self) -> None:
        limiter.storage.clear(self.key)
        limiter.storage.clear(self._wait_key)


def throttle_for(email: str) -> LoginThrottle:
    account = _account(email)
    device = _device()
    if account in device.get("a", []) and isinstance(device.get("d"), str):
        return LoginThrottle(f"login-fail:{account}:{device['d'][:43]}")
    return LoginThrottle(f"login-fail:{account}")


def remember_device(response: Response, email: str) -> None:
    """After a successful login: this browser is now known to the account."""
    device = _device()
    accounts = [a for a in device.get("a", []) if isinstance(a, str)]
    account = _account(email)
    accounts = ([account] + [a for a in accounts if a != account])[:ACCOUNTS_PER_DEVICE]
    device_id = device.get("d") if isinstance(device.get("d"), str) else None
    value = _serializer().dumps({"d": device_id or secrets.token_urlsafe(16), "a": accounts})
    response.set_cookie(
        DEVICE_COOKIE,
        value,
        max_age=DEVICE_COOKIE_DAYS * 24 * 3600,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
        path="/auth/",
    )
