"""Configuration: documented defaults, overridden by environment variables.

Every variable read here is listed in the README's Configuration table.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path


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
    prefix = "CANDOR_THRESHOLD_"
    return {
        key[len(prefix) :].lower(): value
        for key, value in environ.items()
        if key.startswith(prefix)
    }


def load_config(instance_path: Path) -> dict:
    env = os.environ.get("CANDOR_ENV", "development").strip().lower()
    production = env == "production"
    secret_key = os.environ.get("SECRET_KEY")
    if not secret_key:
        if production:
            raise ConfigurationError(
                "SECRET_KEY must be set when CANDOR_ENV=production; refusing to start."
            )
        secret_key = _local_secret_key(instance_path)
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{instance_path / 'candor.db'}"
    # Heroku-style URLs name the driver "postgres://"; SQLAlchemy wants psycopg 3 spelled out.
    if database_url.startswith("postgres://"):
        database_url = "postgresql+psycopg://" + database_url[len("postgres://") :]
    elif database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url[len("postgresql://") :]
    redis_url = os.environ.get("REDIS_URL", "").strip()
    cache_prefix = os.environ.get("CACHE_KEY_PREFIX", "candor").strip() or "candor"
    return {
        "CANDOR_ENV": env,
        "SECRET_KEY": secret_key,
        "ARCHIVE_KEY": _archive_key(instance_path, production),
        # Where `verify-archive` keeps the chain's head outside the database (cron).
        "ARCHIVE_HEAD_FILE": os.environ.get("ARCHIVE_HEAD_FILE", ""),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "BASE_URL": os.environ.get("BASE_URL", "http://127.0.0.1:5000").rstrip("/"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _flag("SESSION_COOKIE_SECURE", production),
        "REMEMBER_COOKIE_SECURE": _flag("SESSION_COOKIE_SECURE", production),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "PERMANENT_SESSION_LIFETIME": int(os.environ.get("SESSION_LIFETIME_SECONDS", 8 * 3600)),
        "WTF_CSRF_TIME_LIMIT": None,
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_CONTENT_LENGTH", 2 * 1024 * 1024)),
        # One Redis for every app server: limits, rendered charts and pages (README).
        "REDIS_URL": redis_url,
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI")
        or (redis_url or "memory://"),
        "RATELIMIT_ENABLED": _flag("RATELIMIT_ENABLED", True),
        "RATELIMIT_HEADERS_ENABLED": True,
        "LOGIN_RATE_LIMIT": os.environ.get("LOGIN_RATE_LIMIT", "10 per minute"),
        "TOKEN_RATE_LIMIT": os.environ.get("TOKEN_RATE_LIMIT", "30 per minute"),
        "CLIENT_LINK_DAYS": int(os.environ.get("CLIENT_LINK_DAYS", 14)),
        "SMTP_HOST": os.environ.get("SMTP_HOST", ""),
        "SMTP_PORT": int(os.environ.get("SMTP_PORT", 587)),
        "SMTP_USER": os.environ.get("SMTP_USER", ""),
        "SMTP_PASSWORD": os.environ.get("SMTP_PASSWORD", ""),
        "SMTP_FROM": os.environ.get("SMTP_FROM", "candor@localhost"),
        "SMTP_STARTTLS": _flag("SMTP_STARTTLS", True),
        "BABEL_DEFAULT_LOCALE": os.environ.get("BABEL_DEFAULT_LOCALE", "en"),
        "CHART_CACHE_SIZE": int(os.environ.get("CHART_CACHE_SIZE", 256)),
        "CACHE_KEY_PREFIX": cache_prefix,
        # Limit counters under the same prefix: installations sharing one Redis stay apart.
        "RATELIMIT_KEY_PREFIX": cache_prefix,
        "CACHE_TTL_SECONDS": int(os.environ.get("CACHE_TTL_SECONDS", 24 * 3600)),
        "CANDOR_THRESHOLDS": threshold_overrides_from_env(os.environ),
        "TRUSTED_PROXIES": int(os.environ.get("TRUSTED_PROXIES", 0)),
        "PREFERRED_URL_SCHEME": "https" if production else "http",
    }
