"""Client tokens never reach an access log line (issue 15)."""

import logging
import runpy
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

from gunicorn.config import Config

from app.access_log import MaskingLogger, mask_development_server_log, mask_tokens

TOKEN = "Qk3x_9vJ-aLm2tY8wPz4R1nB6cD0eF5gH7iJ9kL2mN4"


def test_a_token_in_a_path_is_masked_and_other_paths_are_not():
    assert mask_tokens(f"GET /respond/{TOKEN} HTTP/1.1") == "GET /respond/[token] HTTP/1.1"
    assert mask_tokens(f"/respond/{TOKEN}?x=1") == "/respond/[token]?x=1"
    assert mask_tokens("GET /respond/thanks HTTP/1.1") == "GET /respond/thanks HTTP/1.1"
    assert mask_tokens("/reviews/3/links") == "/reviews/3/links"


def test_gunicorns_access_log_atoms_hold_no_token():
    logger = MaskingLogger(Config())
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/respond/{TOKEN}",
        "PATH_INFO": f"/respond/{TOKEN}",
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": f"https://candor.example/respond/{TOKEN}",
        "REMOTE_ADDR": "192.0.2.1",
    }
    resp = SimpleNamespace(status="200 OK", sent=10, headers=[])
    req = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])])
    atoms = logger.atoms(resp, req, environ, timedelta(milliseconds=5))
    assert TOKEN not in repr(atoms)
    assert atoms["r"] == "GET /respond/[token] HTTP/1.1"


def test_the_repositorys_gunicorn_config_uses_the_masking_logger():
    config = runpy.run_path(str(Path(__file__).parents[2] / "gunicorn.conf.py"))
    assert config["logger_class"] == "app.access_log.MaskingLogger"


def test_the_development_servers_log_is_masked(monkeypatch):
    mask_development_server_log()
    mask_development_server_log()  # twice: one filter
    werkzeug = logging.getLogger("werkzeug")
    assert sum(type(f).__name__ == "_MaskingFilter" for f in werkzeug.filters) == 1
    # A handler of our own: other tests (the browser's live server) quieten this logger.
    records = []
    handler = logging.Handler()
    handler.emit = records.append
    monkeypatch.setattr(werkzeug, "disabled", False)
    monkeypatch.setattr(werkzeug, "level", logging.INFO)
    werkzeug.addHandler(handler)
    try:
        werkzeug.info('%s - - "%s" %s', "127.0.0.1", f"GET /respond/{TOKEN} HTTP/1.1", "200")
    finally:
        werkzeug.removeHandler(handler)
    line = records[0].getMessage()
    assert TOKEN not in line and "/respond/[token]" in line
