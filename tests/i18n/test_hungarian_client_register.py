"""The client is a business customer: in Hungarian every page it reads and the e-mail that
brings it its link speak to it formally ("Ön", "Kérjük, nézze át ..."), never with the
informal "te" the agency's own staff get.

Each page is rendered in Hungarian as the client meets it (the form, its refusals, the
check step, the thanks, received, invalid-link and error pages) and the e-mail as it is
composed, and none may hold an informal second-person form. ("vagy" is not on the list:
it also means "or".)
"""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from flask_babel import force_locale, gettext

from app.extensions import db
from app.models import ClientLink, utcnow
from app.respond.errors import client_error_page
from app.services import client_links
from app.services.client_link_mail import compose_client_link_email
from tests import factories as f
from tests.web.client_view_helpers import check_answers, fingerprint, send_answers

# Informal second-person words and endings the old catalogue used; each is a whole word
# (or a word's start, for the possessive "válaszaid-at/-dal").
INFORMAL = re.compile(
    r"\b(?:te|neked|veled|nálad|téged|nevedben|válaszaid\w*|véleményed\w*"
    r"|megjegyzésed\w*|kapcsolattartód\w*|kérdésed|linked"
    r"|lépj|töltsd|nézd|küldd|írd|válaszd|válassz|várj|próbáld|értékelj|értékeld|kérj"
    r"|vedd|keresd|tedd|töröld|javítsd|módosítsd|olvasd"
    r"|szeretnéd|szeretnél|tudod|tudsz|kaptad|beírtál|válaszoltál|elküldted|átnézted"
    r"|megnyomod|bezárhatod|küldheted|átnézheted|kihagyhatod)\b",
    re.IGNORECASE,
)
FORMAL = re.compile(r"\bÖn\b|\bKérjük\b")
HEADERS = {"Accept-Language": "hu"}  # for the pages that know no client (thanks, invalid)


def informal_words(text: str) -> list[str]:
    return INFORMAL.findall(html.unescape(text))


def assert_formal(name: str, text: str) -> None:
    assert informal_words(text) == [], f"{name}: informal Hungarian {informal_words(text)}"
    assert FORMAL.search(html.unescape(text)), f"{name}: no formal address"


def hu(app, text: str) -> str:
    with app.test_request_context(), force_locale("hu"):
        return gettext(text)


@pytest.fixture
def catalogue():
    return f.ensure_catalogue()


@pytest.fixture
def review(make_user, make_client, catalogue):
    lead = make_user("lead")
    members = [make_user("member") for _ in range(3)]
    customer = make_client("Magyar Kft", actor=lead, language="hu")
    return f.open_review(lead, customer, members)


def issue(review):
    link, token = client_links.issue_link(review.id, review.lead, utcnow(), send_email=False)
    return link, token


@pytest.fixture
def token(review):
    return issue(review)[1]


def test_the_client_page_and_its_refusals_speak_formally(app, client, catalogue, token):
    first, second = catalogue.dimensions[:2]
    address = f"/respond/{token}"
    pages = {
        "form": client.get(address, headers=HEADERS),
        "nothing answered": client.post(address, data={}, headers=HEADERS),
        "comment without an answer": client.post(
            address,
            data={f"rating__{first.key}": "4", f"comment__{second.key}": "Megjegyzés"},
            headers=HEADERS,
        ),
        "comment too long": client.post(
            address,
            data={f"rating__{first.key}": "4", f"comment__{first.key}": "x" * 2001},
            headers=HEADERS,
        ),
    }
    for name, response in pages.items():
        page = response.get_data(as_text=True)
        assert '<html lang="hu">' in page, name
        assert_formal(name, page)
    form = pages["form"].get_data(as_text=True)
    assert hu(app, "Check my answers") in form
    orphan = pages["comment without an answer"].get_data(as_text=True)
    assert "helyezze át a megjegyzését" in orphan


def test_a_page_whose_session_expired_speaks_formally(client, catalogue, token, csrf_enabled):
    data = {f"rating__{catalogue.dimensions[0].key}": "4", "csrf_token": "forged.token"}
    response = client.post(f"/respond/{token}", data=data, headers=HEADERS)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "küldje el újra" in page
    assert_formal("expired session", page)


def test_the_check_step_speaks_formally(app, client, catalogue, token):
    address = f"/respond/{token}"
    some = {f"rating__{catalogue.dimensions[0].key}": "4"}
    every = {f"rating__{d.key}": "3" for d in catalogue.dimensions}
    skipped = check_answers(client, token, some)
    answered_all = check_answers(client, token, every)
    changed = client.post(
        address, data={**every, "checked": fingerprint(skipped), "send": "1"}, headers=HEADERS
    )
    for name, response in {
        "check with skipped statements": skipped,
        "check with every statement answered": answered_all,
        "check after the answers changed": changed,
    }.items():
        page = response.get_data(as_text=True)
        assert response.status_code == 200 and '<html lang="hu">' in page, name
        assert_formal(name, page)
    page = skipped.get_data(as_text=True)
    assert "nézze át a válaszait" in page and hu(app, "Send my answers") in page


def test_thanks_received_and_invalid_pages_speak_formally(client, catalogue, token):
    sent = send_answers(client, token, {f"rating__{catalogue.dimensions[0].key}": "4"})
    assert sent.status_code == 302
    thanks = client.get(sent.headers["Location"], headers=HEADERS)
    received = client.get(f"/respond/{token}", headers=HEADERS)
    invalid = client.get("/respond/not-a-token", headers=HEADERS)
    assert (received.status_code, invalid.status_code) == (200, 404)
    for name, response in {"thanks": thanks, "received": received, "invalid": invalid}.items():
        page = response.get_data(as_text=True)
        assert '<html lang="hu">' in page, name
        assert_formal(name, page)
    assert "az Ön nevében" in thanks.get_data(as_text=True)


@pytest.mark.parametrize("status", [400, 413, 429, 500])
def test_the_client_error_pages_speak_formally(app, status):
    with app.test_request_context("/respond/some-token", headers=HEADERS):
        body, code = client_error_page(status)
    assert code == status and '<html lang="hu">' in body
    assert_formal(f"error {status}", body)
    if status in (400, 413):
        assert "lépjen vissza" in body and "nézze át" in body


@pytest.mark.parametrize(
    "agency, contact", [("Northwind Studio", "Kovács Anna"), ("", "")], ids=["named", "unnamed"]
)
def test_the_link_email_speaks_formally(app, review, monkeypatch, agency, contact):
    monkeypatch.setitem(app.config, "AGENCY_NAME", agency)
    link, _ = issue(review)
    customer = review.client
    customer.contact_name = contact
    db.session.commit()
    now = utcnow()
    with app.test_request_context():
        message = compose_client_link_email(
            db.session.get(ClientLink, link.id),
            review,
            customer,
            url="http://candor.test/respond/abc",
            now=now + timedelta(minutes=1),
        )
    subject, body = message["Subject"], message.get_content()
    assert informal_words(subject) == [] and "Ön" in subject
    assert_formal("e-mail", body)
    assert "értékeljen" in body and "Köszönjük" in body


# The letters a lead sends a client from its incident log, and the closing report: each
# with a formal phrase it must hold. Bracketed placeholders are instructions to the lead,
# who replaces them before sending, so they may speak informally.
LETTERS = {
    "need_answers": "Tudna válaszolni",
    "payment_reminder": "tekintse levelünket tárgytalannak",
    "work_paused": "Örömmel dolgoznánk Önnel tovább",
    "reason_statement": "az Ön számára kezeltünk",
}
PLACEHOLDER = re.compile(r"\[[^\]]*\]")


@pytest.mark.parametrize("key", sorted(LETTERS))
def test_the_letters_to_the_client_speak_formally(app, review, key):
    from app.incidents.drafts import render_client_text, render_draft

    with app.test_request_context():
        letter = render_draft(review.client, key, payment=None, problems=[], sender="Anna")
        subject = render_client_text(review.client, "incidents/drafts/subject.txt", key=key)
    assert informal_words(PLACEHOLDER.sub("", letter)) == [], key
    assert informal_words(subject) == [], key
    assert LETTERS[key] in letter


def test_the_closing_report_speaks_formally(app, review):
    from types import SimpleNamespace

    from app.incidents.drafts import render_client_text

    facts = SimpleNamespace(
        started_on=utcnow().date(), ended_on=utcnow().date(), work_done="", problems=[]
    )
    with app.test_request_context():
        report = render_client_text(review.client, "offboarding/report_draft.txt", facts=facts)
    assert informal_words(PLACEHOLDER.sub("", report)) == []
    assert "átadunk Önnek" in report
