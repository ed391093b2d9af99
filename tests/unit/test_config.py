import pytest

from app.config import ConfigurationError, load_config, threshold_overrides_from_env


def test_local_secret_key_is_generated_once_and_kept(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("CANDOR_ENV", raising=False)
    first = load_config(tmp_path)["SECRET_KEY"]
    second = load_config(tmp_path)["SECRET_KEY"]
    assert first == second and len(first) == 64
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_database_url_defaults_to_sqlite_in_instance(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert load_config(tmp_path)["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'candor.db'}"


def test_postgres_urls_use_psycopg3(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://u@h/db")
    assert load_config(tmp_path)["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@h/db"


def test_threshold_overrides_come_from_prefixed_variables():
    env = {"CANDOR_THRESHOLD_VOTE_SHARE": "0.75", "CANDOR_THRESHOLD_QUORUM": "4", "OTHER": "x"}
    assert threshold_overrides_from_env(env) == {"vote_share": "0.75", "quorum": "4"}


# Start-up refuses a configuration that would quietly be unsafe or dead (issue 18).


@pytest.fixture
def production(monkeypatch, tmp_path):
    monkeypatch.setenv("CANDOR_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "s" * 32)
    monkeypatch.setenv("ARCHIVE_KEY", "a" * 32)
    monkeypatch.delenv("BASE_URL", raising=False)
    return tmp_path


@pytest.mark.parametrize("value", ["prod", "staging", "", "dev"])
def test_an_unknown_environment_name_is_refused_not_taken_for_development(
    monkeypatch, tmp_path, value
):
    monkeypatch.setenv("CANDOR_ENV", value)
    with pytest.raises(ConfigurationError, match="CANDOR_ENV"):
        load_config(tmp_path)


def test_production_accepts_its_name_in_any_case_and_spacing(production, monkeypatch):
    monkeypatch.setenv("CANDOR_ENV", " Production ")
    assert load_config(production)["CANDOR_ENV"] == "production"


@pytest.mark.parametrize("key", ["x", "s" * 31, "   "])
def test_production_refuses_a_short_or_blank_secret_key(production, monkeypatch, key):
    monkeypatch.setenv("SECRET_KEY", key)
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        load_config(production)


def test_a_short_secret_key_is_fine_outside_production(monkeypatch, tmp_path):
    monkeypatch.delenv("CANDOR_ENV", raising=False)
    monkeypatch.setenv("SECRET_KEY", "x")
    assert load_config(tmp_path)["SECRET_KEY"] == "x"


@pytest.mark.parametrize(
    "url",
    [
        "candor.example.com",
        "/candor",
        "ftp://candor.example.com",
        "https://",
        "http:///x",
        "https://candor.example.com/?a=1",
        "javascript:alert(1)",
    ],
)
def test_a_base_url_that_is_not_an_absolute_http_address_is_refused(monkeypatch, tmp_path, url):
    monkeypatch.delenv("CANDOR_ENV", raising=False)
    monkeypatch.setenv("BASE_URL", url)
    with pytest.raises(ConfigurationError, match="BASE_URL"):
        load_config(tmp_path)


def test_a_base_url_keeps_its_path_without_the_trailing_slash(monkeypatch, tmp_path):
    monkeypatch.delenv("CANDOR_ENV", raising=False)
    monkeypatch.setenv("BASE_URL", "https://example.com/candor/")
    assert load_config(tmp_path)["BASE_URL"] == "https://example.com/candor"


@pytest.mark.parametrize(
    "name", ["SMTP_PORT", "CLIENT_LINK_DAYS", "TRUSTED_PROXIES", "SMTP_TIMEOUT"]
)
def test_a_number_setting_that_is_not_a_number_names_the_variable(monkeypatch, tmp_path, name):
    monkeypatch.delenv("CANDOR_ENV", raising=False)
    monkeypatch.setenv(name, "five")
    with pytest.raises(ConfigurationError, match=name):
        load_config(tmp_path)


def test_an_unknown_log_level_is_refused(monkeypatch, tmp_path):
    monkeypatch.delenv("CANDOR_ENV", raising=False)
    monkeypatch.setenv("LOG_LEVEL", "chatty")
    with pytest.raises(ConfigurationError, match="LOG_LEVEL"):
        load_config(tmp_path)


def test_the_sender_defaults_to_the_sites_own_domain_and_names_the_agency(monkeypatch, tmp_path):
    monkeypatch.delenv("CANDOR_ENV", raising=False)
    monkeypatch.delenv("SMTP_FROM", raising=False)
    monkeypatch.delenv("MAIL_SENDER_NAME", raising=False)
    monkeypatch.setenv("BASE_URL", "https://candor.example.com")
    monkeypatch.setenv("AGENCY_NAME", "Northwind Studio")
    config = load_config(tmp_path)
    assert config["SMTP_FROM"] == "noreply@candor.example.com"
    assert config["MAIL_SENDER_NAME"] == "Northwind Studio"
    monkeypatch.setenv("BASE_URL", "http://127.0.0.1:5000")
    assert load_config(tmp_path)["SMTP_FROM"] == "candor@localhost"


def test_the_app_refuses_to_start_with_a_bad_setting_and_says_which(monkeypatch):
    from app import create_app

    monkeypatch.setenv("CANDOR_ENV", "prod")
    with pytest.raises(ConfigurationError, match="CANDOR_ENV='prod' is not known"):
        create_app()
