"""The start-up warning when rate limits would be counted per worker (issue 15)."""

import logging
import runpy
from pathlib import Path
from types import SimpleNamespace

import pytest

from app.rate_limits import shared_storage_warning


@pytest.mark.parametrize(
    "uri,workers,warns",
    [
        ("memory://", 3, True),
        ("memory://", None, True),
        ("memory://", 1, False),
        ("redis://127.0.0.1:6379/0", 3, False),
        ("MEMORY://", 2, True),
    ],
)
def test_memory_storage_with_several_workers_warns(uri, workers, warns):
    warning = shared_storage_warning(uri, workers)
    assert (warning is not None) == warns
    if warns:
        assert "redis://" in warning


def test_gunicorn_warns_at_start_with_three_workers_on_memory(monkeypatch):
    monkeypatch.delenv("RATELIMIT_STORAGE_URI", raising=False)
    config = runpy.run_path(str(Path(__file__).parents[2] / "gunicorn.conf.py"))
    logged = []
    server = SimpleNamespace(
        cfg=SimpleNamespace(workers=3), log=SimpleNamespace(warning=logged.append)
    )
    config["when_ready"](server)
    assert len(logged) == 1 and "3 worker processes" in logged[0]
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/0")
    logged.clear()
    config["when_ready"](server)
    assert logged == []


def test_production_on_memory_storage_warns_at_start(monkeypatch, tmp_path, caplog):
    from app import create_app

    monkeypatch.setenv("CANDOR_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "prod-secret-" + "x" * 32)
    monkeypatch.setenv("ARCHIVE_KEY", "a" * 64)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'p.db'}")
    monkeypatch.delenv("RATELIMIT_STORAGE_URI", raising=False)
    # Alembic's logging set-up (migration tests) disables loggers that existed before it.
    monkeypatch.setattr(logging.getLogger("app.rate_limits"), "disabled", False)
    with caplog.at_level(logging.WARNING, logger="app.rate_limits"):
        create_app()
    assert "counts per process" in caplog.text
