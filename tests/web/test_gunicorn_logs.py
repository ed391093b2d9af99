"""The real gunicorn, started with the repository's gunicorn.conf.py and two workers:
the access log holds no client token, and the error log warns that `memory://` counts
rate limits per worker (issue 15)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.helpers import free_port

ROOT = Path(__file__).parents[2]
TOKEN = "Zx8_secret-token-that-must-not-be-logged-0123456789abc"


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - local server
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_gunicorn_masks_tokens_and_warns_about_per_worker_limits(app, tmp_path):
    port = free_port()
    access, errors = tmp_path / "access.log", tmp_path / "error.log"
    environment = {
        **os.environ,
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "SECRET_KEY": "gunicorn-test-secret",
        "ARCHIVE_KEY": "k" * 40,
        "RATELIMIT_STORAGE_URI": "memory://",
    }
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn with fixed arguments
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--access-logfile",
            str(access),
            "--error-logfile",
            str(errors),
            "wsgi:app",
        ],
        cwd=ROOT,
        env=environment,
    )
    try:
        deadline = time.monotonic() + 120  # two workers importing the app on a busy machine
        while time.monotonic() < deadline:
            try:
                if _get(f"http://127.0.0.1:{port}/healthz") == 200:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        assert _get(f"http://127.0.0.1:{port}/respond/{TOKEN}") == 404
        assert _get(f"http://127.0.0.1:{port}/respond/{TOKEN}?from=mail") == 404
    finally:
        server.terminate()
        server.wait(timeout=30)
    logged = access.read_text()
    assert "/respond/[token]" in logged and TOKEN not in logged
    assert "counts per process" in errors.read_text()
