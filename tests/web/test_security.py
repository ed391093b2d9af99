import re
from pathlib import Path

import pytest

from app import create_app
from app.extensions import db
from app.models import Client
from tests.helpers import PASSWORD


def test_every_page_sends_a_csp_without_inline_script(client):
    response = client.get("/auth/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_templates_contain_no_inline_script(app):
    for template in Path(app.root_path, "templates").rglob("*.html"):
        text = template.read_text()
        assert "<script>" not in text and "onclick=" not in text, template


def test_hsts_is_sent_over_https(client):
    response = client.get("/auth/login", base_url="https://candor.test")
    assert "max-age=" in response.headers["Strict-Transport-Security"]


def test_error_pages_share_the_layout(client, make_user, login):
    login(client, make_user("member"))
    not_found = client.get("/no/such/page")
    assert not_found.status_code == 404
    assert b"Not found" in not_found.data and b"candor.css" in not_found.data
    forbidden = client.get("/admin/users")
    assert forbidden.status_code == 403 and b"Not allowed" in forbidden.data


@pytest.fixture
def csrf_client(app):
    app.config["WTF_CSRF_ENABLED"] = True
    yield app.test_client()
    app.config["WTF_CSRF_ENABLED"] = False


def test_a_post_without_csrf_token_is_refused_with_400(csrf_client, make_user):
    user = make_user("lead")
    response = csrf_client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    assert b"Bad request" in response.data


def test_a_post_with_the_csrf_token_from_the_page_works(csrf_client, make_user):
    import re

    user = make_user("lead")
    page = csrf_client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = csrf_client.post(
        "/auth/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302
    client_page = csrf_client.get("/clients/new").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', client_page).group(1)
    csrf_client.post("/clients/new", data={"name": "With token", "csrf_token": token})
    missing = csrf_client.post("/clients/new", data={"name": "Without token"})
    assert missing.status_code == 400
    assert [c.name for c in db.session.query(Client).all()] == ["With token"]


def test_login_is_rate_limited_per_address(app, make_user):
    app.config["LOGIN_RATE_LIMIT"] = "10 per minute"
    try:
        from app.extensions import limiter

        limiter.reset()
        http = app.test_client()
        user = make_user()
        statuses = [
            http.post(
                "/auth/login", data={"email": user.email, "password": "wrong-password"}
            ).status_code
            for _ in range(12)
        ]
        assert statuses[:10] == [400] * 10
        assert statuses[10:] == [429, 429]
        assert (
            b"Too many attempts"
            in http.post("/auth/login", data={"email": "x@example.com", "password": "x"}).data
        )
    finally:
        app.config["LOGIN_RATE_LIMIT"] = "10000 per minute"
        limiter.reset()


# Per account, failures are slowed down rather than refused: tests/web/test_login_throttle.py.


def test_session_cookie_is_httponly_and_samesite(client, make_user):
    user = make_user()
    response = client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_production_refuses_to_start_without_secret_key(monkeypatch, tmp_path):
    from app.config import ConfigurationError

    monkeypatch.setenv("CANDOR_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigurationError):
        create_app()


def test_production_refuses_to_start_without_an_archive_key(monkeypatch, tmp_path):
    from app.config import ConfigurationError

    monkeypatch.setenv("CANDOR_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "prod-secret-" + "s" * 32)
    monkeypatch.delenv("ARCHIVE_KEY", raising=False)
    monkeypatch.delenv("ARCHIVE_KEY_FILE", raising=False)
    with pytest.raises(ConfigurationError, match="ARCHIVE_KEY"):
        create_app()
    monkeypatch.setenv("ARCHIVE_KEY", "too-short")
    with pytest.raises(ConfigurationError, match="at least 32"):
        create_app()
    key_file = tmp_path / "archive.key"
    key_file.write_text("k" * 40 + "\n")
    monkeypatch.delenv("ARCHIVE_KEY")
    monkeypatch.setenv("ARCHIVE_KEY_FILE", str(key_file))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'p.db'}")
    assert create_app().config["ARCHIVE_KEY"] == "k" * 40


def test_production_uses_secure_cookies(monkeypatch, tmp_path):
    monkeypatch.setenv("CANDOR_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "prod-secret-" + "s" * 32)
    monkeypatch.setenv("ARCHIVE_KEY", "a" * 64)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'p.db'}")
    app = create_app()
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True


def test_a_nul_byte_in_any_form_value_is_stripped_before_any_form_sees_it(client, make_user, login):
    # PostgreSQL cannot store NUL; it is never meaningful text, so it is simply dropped.
    login(client, make_user("lead"))
    response = client.post(
        "/clients/new", data={"name": "bad\x00name", "notes": "a\x00b", "contact_name": "\x00"}
    )
    assert response.status_code == 302
    stored = db.session.query(Client).one()
    assert (stored.name, stored.notes, stored.contact_name) == ("badname", "ab", "")


def test_every_rate_limit_is_checked_by_its_own_view():
    # The limiter checks no request by itself (auto_check is off, app/extensions.py): a
    # view decorated with a bare `limiter.limit` would count nothing, so none is.
    app_root = Path(__file__).resolve().parents[2] / "app"
    bare = [
        str(path.relative_to(app_root))
        for path in app_root.rglob("*.py")
        if path.name != "rate_limits.py"
        and re.search(r"limiter\.(limit|shared_limit)\(", path.read_text(encoding="utf-8"))
    ]
    assert bare == []
