"""Configuration: documented defaults, overridden by environment variables.

Every variable read here is listed in the README's Configuration table.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

ENVIRONMENTS = ("development", "production")
MIN_SECRET_KEY_LENGTH = 32
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
THRESHOLD_PREFIX = "CANDOR_THRESHOLD_"  # + a threshold's name in capitals, e.g. _QUORUM


class ConfigurationError(RuntimeError):
    """The app refuses to start with a configuration that would be unsafe."""


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _local_secret_key(instance_path: Path, name: str = "secret_key") -> str:
    """A random key kept in instance/ so local sessions (and the archive) survive restarts."""
    key_file = instance_path / name
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def _archive_key(instance_path: Path, production: bool) -> str:
    """The key of the archive's HMAC chain: never stored in the database, so whoever can
    write rows cannot recompute a digest. ARCHIVE_KEY, else ARCHIVE_KEY_FILE, else (not in
    production) instance/archive_key, created on first start."""
    key = os.environ.get("ARCHIVE_KEY", "").strip()
    key_file = os.environ.get("ARCHIVE_KEY_FILE", "").strip()
    if not key and key_file:
        try:
            key = Path(key_file).read_text().strip()
        except OSError as error:
            raise ConfigurationError(f"ARCHIVE_KEY_FILE cannot be read: {error}") from None
    if key:
        if len(key) < 32:
            raise ConfigurationError("ARCHIVE_KEY must have at least 32 characters.")
        return key
    if production:
        raise ConfigurationError(
            "ARCHIVE_KEY (or ARCHIVE_KEY_FILE) must be set when CANDOR_ENV=production; "
            "refusing to start."
        )
    return _local_secret_key(instance_path, "archive_key")


def threshold_overrides_from_env(environ: os._Environ | dict) -> dict[str, str]:
    """CANDOR_THRESHOLD_<NAME>=value overrides one field of domain Thresholds."""
    return {
        key[len(THRESHOLD_PREFIX) :].lower(): value
        for key, value in environ.items()
        if key.startswith(THRESHOLD_PREFIX)
    }


def _environment() -> str:
    """CANDOR_ENV, refused when unknown: a typo ("prod") must not quietly mean development
    mode with insecure cookies."""
    env = os.environ.get("CANDOR_ENV", "development").strip().lower()
    if env not in ENVIRONMENTS:
        raise ConfigurationError(
            f"CANDOR_ENV={env!r} is not known; use one of: {', '.join(ENVIRONMENTS)}. "
            "Refusing to start."
        )
    return env


def _secret_key(instance_path: Path, production: bool) -> str:
    secret_key = os.environ.get("SECRET_KEY", "").strip()
    if not secret_key:
        if production:
            raise ConfigurationError(
                "SECRET_KEY must be set when CANDOR_ENV=production; refusing to start."
            )
        return _local_secret_key(instance_path)
    if production and len(secret_key) < MIN_SECRET_KEY_LENGTH:
        raise ConfigurationError(
            f"SECRET_KEY must have at least {MIN_SECRET_KEY_LENGTH} characters when "
            "CANDOR_ENV=production (python3 -c 'import secrets; print(secrets.token_hex(32))'); "
            "refusing to start."
        )
    return secret_key


def _base_url() -> str:
    """The absolute address links in e-mails and the shown client link are built from."""
    base_url = os.environ.get("BASE_URL", "http://127.0.0.1:5000").strip().rstrip("/")
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigurationError(
            f"BASE_URL={base_url!r} is not an absolute http(s) address such as "
            "https://candor.example.com; refusing to start."
        )
    if parts.query or parts.fragment:
        raise ConfigurationError(
            f"BASE_URL={base_url!r} must not carry a query or fragment; refusing to start."
        )
    return base_url


def _default_sender(base_url: str) -> str:
    """noreply@ the site's own domain; candor@localhost only for an address without one."""
    host = urlsplit(base_url).hostname or ""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        if "." in host:
            return f"noreply@{host}"
    return "candor@localhost"


def _int(name: str, default: int, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigurationError(f"{name}={raw!r} is not a whole number.") from None
    if value < minimum:
        raise ConfigurationError(f"{name} must be at least {minimum}.")
    return value


def _log_level() -> str:
    level = os.environ.get("LOG_LEVEL", "INFO").strip().upper()
    if level not in LOG_LEVELS:
        raise ConfigurationError(f"LOG_LEVEL must be one of: {', '.join(LOG_LEVELS)}.")
    return level


def load_config(instance_path: Path) -> dict:
    env = _environment()
    production = env == "production"
    secret_key = _secret_key(instance_path, production)
    base_url = _base_url()
    agency_name = os.environ.get("AGENCY_NAME", "").strip()
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{instance_path / 'candor.db'}"
    # Heroku-style URLs name the driver "postgres://"; SQLAlchemy wants psycopg 3 spelled out.
    if database_url.startswith("postgres://"):
        database_url = "postgresql+psycopg://" + database_url[len("postgres://") :]
    elif database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url[len("postgresql://") :]
    # SESSION_LIFETIME_SECONDS is the first edition's name for the idle lifetime.
    idle_name = "SESSION_IDLE_SECONDS"
    if not os.environ.get(idle_name):
        idle_name = "SESSION_LIFETIME_SECONDS"
    idle_seconds = _int(idle_name, 8 * 3600, minimum=60)
    redis_url = os.environ.get("REDIS_URL", "").strip()
    cache_prefix = os.environ.get("CACHE_KEY_PREFIX", "candor").strip() or "candor"
    return {
        "CANDOR_ENV": env,
        "SECRET_KEY": secret_key,
        "ARCHIVE_KEY": _archive_key(instance_path, production),
        # Where `verify-archive` keeps the chain's head outside the database (cron).
        "ARCHIVE_HEAD_FILE": os.environ.get("ARCHIVE_HEAD_FILE", ""),
        "SQLALCHEMY_DATABASE_URI": database_url,
        # No ping before each use: a connection the server closed is found without a
        # round trip when it leaves the pool (app/database.py).
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": False},
        "BASE_URL": base_url,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _flag("SESSION_COOKIE_SECURE", production),
        "REMEMBER_COOKIE_SECURE": _flag("SESSION_COOKIE_SECURE", production),
        "REMEMBER_COOKIE_HTTPONLY": True,
        # A session ends after this long without a request (the cookie's lifetime too)...
        "SESSION_IDLE_SECONDS": idle_seconds,
        "PERMANENT_SESSION_LIFETIME": idle_seconds,
        # The cookie is signed again when the server records a use (at most once a minute,
        # app/security.py), not on every request: its expiry then follows the server's idle
        # clock, and a page that changes nothing costs no cookie (nearly a tenth of its CPU).
        "SESSION_REFRESH_EACH_REQUEST": False,
        # ...and this long after login however busy it is (checked on the server).
        "SESSION_ABSOLUTE_SECONDS": _int("SESSION_ABSOLUTE_SECONDS", 12 * 3600, minimum=60),
        "WTF_CSRF_TIME_LIMIT": None,
        "MAX_CONTENT_LENGTH": _int("MAX_CONTENT_LENGTH", 2 * 1024 * 1024, minimum=1024),
        # One Redis for every app server: limits, rendered charts and pages (README).
        "REDIS_URL": redis_url,
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI")
        or (redis_url or "memory://"),
        "RATELIMIT_ENABLED": _flag("RATELIMIT_ENABLED", True),
        "RATELIMIT_HEADERS_ENABLED": True,
        "LOGIN_RATE_LIMIT": os.environ.get("LOGIN_RATE_LIMIT", "10 per minute"),
        # Failed logins per account (app/auth/throttle.py): free ones, then a doubling wait.
        "LOGIN_FREE_FAILURES": _int("LOGIN_FREE_FAILURES", 5, minimum=1),
        "LOGIN_FAILURE_WINDOW_SECONDS": _int("LOGIN_FAILURE_WINDOW_SECONDS", 900, minimum=1),
        "LOGIN_DELAY_MAX_SECONDS": _int("LOGIN_DELAY_MAX_SECONDS", 60, minimum=1),
        "TOKEN_RATE_LIMIT": os.environ.get("TOKEN_RATE_LIMIT", "30 per minute"),
        "CLIENT_LINK_DAYS": _int("CLIENT_LINK_DAYS", 14, minimum=1),
        "SMTP_HOST": os.environ.get("SMTP_HOST", ""),
        "SMTP_PORT": _int("SMTP_PORT", 587, minimum=1),
        "SMTP_USER": os.environ.get("SMTP_USER", ""),
        "SMTP_PASSWORD": os.environ.get("SMTP_PASSWORD", ""),
        "SMTP_FROM": os.environ.get("SMTP_FROM", "").strip() or _default_sender(base_url),
        "SMTP_STARTTLS": _flag("SMTP_STARTTLS", True),
        # Short: the lead waits for the send; a server that never answers must not hang
        # the request (the link is already saved and shown either way).
        "SMTP_TIMEOUT": _int("SMTP_TIMEOUT", 5, minimum=1),
        # The agency's name, shown to the client (its page, the e-mail's words and sender).
        "AGENCY_NAME": agency_name,
        "MAIL_SENDER_NAME": os.environ.get("MAIL_SENDER_NAME", "").strip()
        or agency_name
        or "Candor",
        "LOG_LEVEL": _log_level(),
        "AGENCY_CONTACT": os.environ.get("AGENCY_CONTACT", "").strip(),
        "CLIENT_PRIVACY_NOTE": os.environ.get("CLIENT_PRIVACY_NOTE", "").strip(),
        "BABEL_DEFAULT_LOCALE": os.environ.get("BABEL_DEFAULT_LOCALE", "en"),
        "CHART_CACHE_SIZE": _int("CHART_CACHE_SIZE", 256),
        "CACHE_KEY_PREFIX": cache_prefix,
        # Limit counters under the same prefix: installations sharing one Redis stay apart.
        "RATELIMIT_KEY_PREFIX": cache_prefix,
        "CACHE_TTL_SECONDS": _int("CACHE_TTL_SECONDS", 24 * 3600, minimum=1),
        "CANDOR_THRESHOLDS": threshold_overrides_from_env(os.environ),
        "TRUSTED_PROXIES": _int("TRUSTED_PROXIES", 0),
        "PREFERRED_URL_SCHEME": "https" if production else "http",
    }
