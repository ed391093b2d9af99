"""docs/deploy.md, followed literally on a fresh virtualenv (issue 18).

Runs every `sh` block of the page as written, in order, in a copy of this checkout; then
starts gunicorn exactly as the systemd unit says (its ExecStart, WorkingDirectory and
EnvironmentFile, read the way systemd reads them); logs in through it as nginx would
forward a browser; checks the rate limiter counts in Redis; and runs the cron lines in an
empty environment, as cron does.

Replaced, and nothing else: the paths /srv/candor, /etc/candor and /var/lib/candor-anchor
(a temporary directory), gunicorn's port 8000 (a free one), and in the env file the values
the page says to edit, plus the Redis URL (the test's own database number).

Needs: CANDOR_DEPLOY_TEST=1, DEPLOY_DATABASE_URL (an empty-able PostgreSQL database: its
public schema is dropped first), DEPLOY_REDIS_URL (default redis://127.0.0.1:6379/2), and
the package index pip normally uses (its cache makes the install take minutes, not more).
"""

from __future__ import annotations

import http.client
import os
import re
import shlex
import shutil
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.helpers import free_port

pytestmark = pytest.mark.deploy

ROOT = Path(__file__).resolve().parents[2]
RECIPE = ROOT / "docs" / "deploy.md"
ADMIN_EMAIL = "admin@example.com"
ADMIN_PASSWORD = "deploy-test-password"  # noqa: S105 # nosec B105
INSTALL_SECONDS = 1200
STEP_SECONDS = 180


def _blocks(kind: str) -> list[str]:
    text = RECIPE.read_text()
    return [m.group(2) for m in re.finditer(r"^```(\w+)\n(.*?)^```", text, re.S | re.M)
            if m.group(1) == kind]  # fmt: skip


class Machine:
    """The paths of a fresh machine, under one temporary directory."""

    def __init__(self, root: Path, port: int) -> None:
        self.home = root / "srv" / "candor"
        self.etc = root / "etc" / "candor"
        self.anchor = root / "var" / "lib" / "candor-anchor"
        self.port = port

    def localise(self, text: str) -> str:
        for real, here in (
            ("/srv/candor", str(self.home)),
            ("/etc/candor", str(self.etc)),
            ("/var/lib/candor-anchor", str(self.anchor)),
            ("127.0.0.1:8000", f"127.0.0.1:{self.port}"),
        ):
            text = text.replace(real, here)
        return text

    @property
    def env_file(self) -> Path:
        return self.etc / "candor.env"


def _base_environment() -> dict[str, str]:
    """What a login shell has: PATH, HOME, the locale, and pip's own settings."""
    keep = {k: v for k, v in os.environ.items() if k.startswith("PIP_")}
    return {
        **keep,
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": os.environ.get("HOME", "/root"),
        "LANG": "C.UTF-8",
    }


def _copy_checkout(target: Path) -> None:
    """The files `git clone` would give (tracked and new, nothing ignored: no .venv)."""
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "-z"],
        cwd=ROOT, check=True, capture_output=True, timeout=60,
    ).stdout.decode().split("\0")  # fmt: skip
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


def _reset_database(url: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("DROP SCHEMA IF EXISTS public CASCADE")
        connection.execute("CREATE SCHEMA public")


def _edit_env_file(path: Path, values: dict[str, str]) -> None:
    """What the operator does after step 3: change the values the page marks."""
    lines = path.read_text().splitlines()
    seen = set()
    for number, line in enumerate(lines):
        name = line.split("=", 1)[0]
        if name in values:
            lines[number] = f"{name}={values[name]}"
            seen.add(name)
    assert seen == set(values), f"the env file lacks {set(values) - seen}"
    path.write_text("\n".join(lines) + "\n")


def _systemd_environment(path: Path) -> dict[str, str]:
    """EnvironmentFile= as systemd reads it: NAME=value, optional double quotes, # lines."""
    values = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";")):
            continue
        name, _, value = line.partition("=")
        if len(value) >= 2 and value[0] == value[-1] == '"':
            value = value[1:-1]
        values[name.strip()] = value
    return values


def _unit(machine: Machine) -> dict[str, str]:
    (unit,) = _blocks("ini")
    settings = {}
    for line in machine.localise(unit).splitlines():
        name, sep, value = line.partition("=")
        if sep and not line.startswith("["):
            settings[name.strip()] = value.strip()
    return settings


class Browser:
    """A cookie-keeping HTTP client that talks to gunicorn as nginx forwards a browser."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {
            "Host": "candor.example.com",
            "X-Forwarded-For": "203.0.113.7",
            "X-Forwarded-Proto": "https",
            "X-Forwarded-Host": "candor.example.com",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            from urllib.parse import urlencode

            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"https://candor.example.com{path}"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        connection.close()
        return response, text


def _wait_for(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"gunicorn exited ({process.returncode}):\n{log.read_text()[-3000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.3)
    pytest.fail("gunicorn did not listen in time")


def _run(script: str, env: dict, cwd: Path, timeout: int) -> subprocess.CompletedProcess:
    result = subprocess.run(  # noqa: S603 # nosec B603
        ["/bin/bash", "-euo", "pipefail", "-c", script],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout,
    )  # fmt: skip
    assert result.returncode == 0, (
        f"{script}\n--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"
    )
    return result


def test_the_deploy_recipe_runs_as_written(tmp_path):
    database_url = os.environ.get("DEPLOY_DATABASE_URL")
    assert database_url, "DEPLOY_DATABASE_URL must name a PostgreSQL database for this test"
    redis_url = os.environ.get("DEPLOY_REDIS_URL", "redis://127.0.0.1:6379/2")
    import redis

    store = redis.Redis.from_url(redis_url, socket_timeout=5)
    store.ping()  # fails clearly when Redis is not there
    for key in store.scan_iter("LIMITS*"):
        store.delete(key)
    _reset_database(database_url)

    machine = Machine(tmp_path, free_port())
    machine.home.mkdir(parents=True)
    machine.etc.mkdir(parents=True)
    machine.anchor.mkdir(parents=True)  # `install -d … /var/lib/candor-anchor` (console)
    _copy_checkout(machine.home)
    env = {**_base_environment(), "CANDOR_ADMIN_PASSWORD": ADMIN_PASSWORD}

    blocks = _blocks("sh")
    assert len(blocks) == 3, "the page's sh blocks: install, env file, database"
    install, env_file_block, database = (machine.localise(b) for b in blocks)
    _run(install, env, tmp_path, INSTALL_SECONDS)
    _run(env_file_block, env, tmp_path, STEP_SECONDS)
    assert machine.env_file.stat().st_mode & 0o077 == 0, "umask 077: only the owner reads it"
    _edit_env_file(
        machine.env_file,
        {
            "DATABASE_URL": database_url,
            "BASE_URL": "https://candor.example.com",
            "AGENCY_NAME": '"Deploy Test Agency"',
            "MAIL_SENDER_NAME": '"Deploy Test Agency"',
            "SMTP_FROM": "candor@example.com",
            "SMTP_PORT": str(free_port()),
            "RATELIMIT_STORAGE_URI": redis_url,
        },
    )
    steps = _run(database, env, tmp_path, STEP_SECONDS)
    assert "Catalogue version 1 loaded." in steps.stdout
    assert f"Admin {ADMIN_EMAIL} created." in steps.stdout
    # The next release runs step 4 again but for create-admin: nothing new, nothing broken.
    release = "\n".join(line for line in database.splitlines() if "create-admin" not in line)
    again = _run(release, env, tmp_path, STEP_SECONDS)
    assert "Catalogue version 1 is current" in again.stdout

    unit = _unit(machine)
    service_env = {"PATH": "/usr/bin:/bin", **_systemd_environment(Path(unit["EnvironmentFile"]))}
    assert service_env["AGENCY_NAME"] == "Deploy Test Agency"
    log = tmp_path / "gunicorn.log"
    with log.open("w") as output:
        gunicorn = subprocess.Popen(  # noqa: S603 # nosec B603
            shlex.split(unit["ExecStart"]),
            cwd=unit["WorkingDirectory"], env=service_env, stdout=output, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            _wait_for(machine.port, gunicorn, log)
            _log_in_through_the_proxy(machine.port)
            assert list(store.scan_iter("LIMITS*")), "the login limit is counted in Redis"
        finally:
            gunicorn.terminate()
            gunicorn.wait(timeout=30)
    access = log.read_text()
    assert '"POST /auth/login HTTP/1.1" 302' in access, "--access-logfile - writes the log"
    assert "event=login_failed" in access and ADMIN_PASSWORD not in access

    _cron_runs_in_a_bare_environment(machine)


def _log_in_through_the_proxy(port: int) -> None:
    browser = Browser(port)
    response, page = browser.request("GET", "/auth/login")
    assert response.status == 200
    assert response.getheader("Strict-Transport-Security"), "https seen through the proxy"
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    wrong, _ = browser.request(
        "POST", "/auth/login",
        {"csrf_token": token, "email": ADMIN_EMAIL, "password": "not-the-password"},
    )  # fmt: skip
    assert wrong.status == 400
    response, _ = browser.request(
        "POST",
        "/auth/login",
        {"csrf_token": token, "email": ADMIN_EMAIL, "password": ADMIN_PASSWORD},
    )
    assert response.status == 302, "login refused"
    assert urlsplit(response.getheader("Location")).path == "/"
    response, page = browser.request("GET", "/")
    assert response.status == 200 and "Administrator" in page
    favicon, _ = browser.request("GET", "/favicon.ico")
    assert favicon.status == 200


def _cron_runs_in_a_bare_environment(machine: Machine) -> None:
    (crontab,) = _blocks("cron")
    lines = [line for line in machine.localise(crontab).splitlines() if line.strip()]
    # cron's environment: PATH=/usr/bin:/bin, plus the file's own NAME=value lines.
    settings = [line for line in lines if re.fullmatch(r"[A-Z_]+=\S*", line)]
    jobs = [line for line in lines if line not in settings and not line.startswith("#")]
    assert len(jobs) == 2
    for line in jobs:
        command = line.split(None, 6)[6]  # 5 time fields, then the user
        result = subprocess.run(  # noqa: S603 # nosec B603
            ["/usr/bin/env", "-i", "PATH=/usr/bin:/bin", *settings, "/bin/sh", "-c", command],
            cwd="/", capture_output=True, text=True, timeout=STEP_SECONDS,
        )  # fmt: skip
        assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    assert (machine.anchor / "head").read_text().strip() == "0 none"
    # The env file gone (or unreadable), the wrapper stops instead of starting the app in
    # development mode on an empty SQLite file.
    broken = subprocess.run(  # noqa: S603 # nosec B603
        ["/usr/bin/env", "-i", "PATH=/usr/bin:/bin", "CANDOR_ENV_FILE=/nonexistent",
         str(machine.home / "bin" / "candor"), "verify-archive"],
        cwd="/", capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert broken.returncode == 2 and "cannot read the env file" in broken.stderr
    assert not (machine.home / "instance" / "candor.db").exists()
