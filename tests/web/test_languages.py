"""Which language a page speaks: the user's profile, then a `?lang=` pick, then the
browser, then the default; unknown codes anywhere fall back, never fail."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.i18n import SUPPORTED_LANGUAGES, supported
from app.models import AuditEvent, Client, User
from tests.archive_factory import at, decide


def _lang(page: str) -> str:
    return re.search(r'<html lang="([^"]+)"', page).group(1)


def test_the_browser_language_decides_until_the_user_chooses(client, make_user, login):
    page = client.get("/auth/login", headers={"Accept-Language": "da-DK,da;q=0.9,en;q=0.5"})
    text = page.get_data(as_text=True)
    assert _lang(text) == "da" and "Log ind" in text
    text = client.get("/auth/login", headers={"Accept-Language": "hu"}).get_data(as_text=True)
    assert _lang(text) == "hu" and "Bejelentkezés" in text
    text = client.get("/auth/login", headers={"Accept-Language": "fr, de"}).get_data(as_text=True)
    assert _lang(text) == "en" and "Log in" in text


def test_a_visitor_picks_a_language_with_lang_and_keeps_it(client):
    assert _lang(client.get("/auth/login?lang=hu").get_data(as_text=True)) == "hu"
    assert _lang(client.get("/auth/login").get_data(as_text=True)) == "hu"  # kept in session
    page = client.get("/auth/login").get_data(as_text=True)
    # every language is offered, each named in itself
    for code, name in (("en", "English"), ("da", "Dansk"), ("hu", "Magyar")):
        assert f'href="?lang={code}" lang="{code}"' in page and name in page


@pytest.mark.parametrize("code", ["xx", "", "../../etc", "da" * 400, "<script>", "\u202eda"])
def test_an_unknown_lang_in_the_url_is_ignored(client, code):
    response = client.get("/auth/login", query_string={"lang": code})
    assert response.status_code == 200
    assert _lang(response.get_data(as_text=True)) == "en"


def test_the_profile_language_wins_over_the_browser(client, make_user, login):
    user = make_user("member")
    login(client, user)
    response = client.post("/profile", data={"language": "da"})
    assert response.status_code == 302
    page = client.get("/", headers={"Accept-Language": "hu"}).get_data(as_text=True)
    assert _lang(page) == "da" and "Oversigt" in page
    assert db.session.get(User, user.id).language == "da"
    event = db.session.query(AuditEvent).filter_by(action="user.language_changed").one()
    assert json.loads(event.details)["new"] == "da"
    # handing the choice back to the browser
    client.post("/profile", data={"language": ""})
    assert db.session.get(User, user.id).language is None
    page = client.get("/", headers={"Accept-Language": "hu"}).get_data(as_text=True)
    assert _lang(page) == "hu"


@pytest.mark.parametrize("code", ["xx", "DA-dk", "<b>da</b>", "d\u200ba", "x" * 5000])
def test_an_unknown_language_in_the_profile_is_refused_and_nothing_changes(
    client, make_user, login, code
):
    user = make_user("member")
    login(client, user)
    client.post("/profile", data={"language": "hu"})
    response = client.post("/profile", data={"language": code})
    assert response.status_code == 400
    assert 'id="language-error"' in response.get_data(as_text=True)
    assert db.session.get(User, user.id).language == "hu"


def test_the_profile_form_needs_its_csrf_token(app, make_user, login):
    user = make_user("member")
    browser = app.test_client()
    login(browser, user)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert browser.post("/profile", data={"language": "da"}).status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert db.session.get(User, user.id).language is None


@pytest.mark.parametrize(
    "statement",
    ["UPDATE users SET language = 'xx'", "UPDATE clients SET language = 'xx'"],
)
def test_the_database_refuses_an_unknown_language(app, make_user, make_client, statement):
    lead = make_user("lead")
    make_client("Somebody", actor=lead)
    with pytest.raises(IntegrityError):
        db.session.execute(db.text(statement))
        db.session.flush()
    db.session.rollback()


@given(st.text(max_size=40))
def test_supported_never_fails_and_only_names_supported_languages(code):
    assert supported(code) in (*SUPPORTED_LANGUAGES, None)


def test_supported_reads_region_and_case():
    assert [supported(c) for c in ("da", "DA", "da-DK", "da_DK", "hu-HU", "en-GB")] == [
        "da",
        "da",
        "da",
        "da",
        "hu",
        "en",
    ]
    assert [supported(c) for c in (None, 5, "", "dk", "magyar")] == [None] * 5


def test_a_client_has_a_language_set_when_created_and_edited(client, make_user, login):
    lead = make_user("lead")
    login(client, lead)
    response = client.post(
        "/clients/new", data={"name": "Dansk Kunde", "language": "da"}, follow_redirects=True
    )
    assert response.status_code == 200
    stored = db.session.query(Client).filter_by(name="Dansk Kunde").one()
    assert stored.language == "da"
    assert "Dansk" in response.get_data(as_text=True)
    client.post(f"/clients/{stored.id}/edit", data={"name": "Dansk Kunde", "language": "hu"})
    db.session.expire_all()
    assert db.session.get(Client, stored.id).language == "hu"
    # an edit sent without the field keeps the client's language
    client.post(f"/clients/{stored.id}/edit", data={"name": "Dansk Kunde"})
    db.session.expire_all()
    assert db.session.get(Client, stored.id).language == "hu"


def test_a_new_client_starts_in_the_leads_language(client, make_user, login):
    lead = make_user("lead")
    login(client, lead)
    client.post("/profile", data={"language": "hu"})
    page = client.get("/clients/new").get_data(as_text=True)
    assert re.search(r'<option selected value="hu">|<option value="hu" selected>', page)
    client.post("/clients/new", data={"name": "Magyar Kft"})
    assert db.session.query(Client).filter_by(name="Magyar Kft").one().language == "hu"


@pytest.mark.parametrize("code", ["xx", "", "<script>x</script>", "da\u202e"])
def test_an_unknown_client_language_is_refused_and_the_client_kept(client, make_user, login, code):
    lead = make_user("lead")
    login(client, lead)
    client.post("/clients/new", data={"name": "Keep Me", "language": "da"})
    stored = db.session.query(Client).filter_by(name="Keep Me").one()
    response = client.post(f"/clients/{stored.id}/edit", data={"name": "Changed", "language": code})
    assert response.status_code == 400
    db.session.expire_all()
    kept = db.session.get(Client, stored.id)
    assert (kept.name, kept.language) == ("Keep Me", "da")


def test_dates_and_numbers_follow_the_readers_language(client, make_user, make_client, login):
    lead = make_user("lead", name="Lena Lead")
    team = [make_user("member") for _ in range(3)]
    customer = make_client("Nordlys", actor=lead)
    decision = decide(
        lead, team, customer, when=at("2026-03-05", 14), outcomes={"muddy": "confirmed"}
    )
    login(client, lead)
    pages = {}
    for code in SUPPORTED_LANGUAGES:
        client.post("/profile", data={"language": code})
        pages[code] = client.get(f"/archive/{decision.id}").get_data(as_text=True)
    assert "Mar 5, 2026 14:00 UTC" in pages["en"]
    assert "5. mar. 2026 14:00 UTC" in pages["da"]
    assert "2026. márc. 5. 14:00 UTC" in pages["hu"]


def test_a_decided_reviews_archive_page_names_categories_in_the_readers_language(
    client, make_user, make_client, login
):
    lead = make_user("lead", name="Lena Lead")
    team = [make_user("member") for _ in range(3)]
    customer = make_client("Nordlys", actor=lead)
    decision = decide(lead, team, customer, when=at("2026-03-05"), outcomes={"muddy": "confirmed"})
    login(client, lead)
    expected = {"en": "Muddy", "da": "Mudret", "hu": "Zavaros"}
    for code in SUPPORTED_LANGUAGES:
        client.post("/profile", data={"language": code})
        page = client.get(f"/archive/{decision.id}").get_data(as_text=True)
        assert _lang(page) == code
        if expected[code]:
            assert expected[code] in page
    hungarian = client.get(f"/archive/{decision.id}").get_data(as_text=True)
    assert "Muddy" not in hungarian  # the Hungarian name, not the English one


@pytest.mark.parametrize(
    ("language", "expected"), [("en", "0.93 · -1.5 · 1234.00"), ("da", "0,93 · -1,5 · 1234,00")]
)
def test_numbers_are_written_with_the_readers_decimal_sign(app, language, expected):
    from flask import render_template_string
    from flask_babel import force_locale

    with app.test_request_context(), force_locale(language):
        shown = render_template_string(
            "{{ 0.934|number }} · {{ -1.5|number(1) }} · {{ 1234|number }}"
        )
    assert shown == expected
