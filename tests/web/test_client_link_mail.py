"""E-mailing the client's link through a real SMTP conversation (issue 18): the message
a client receives, and a mail server that refuses or never answers losing nothing."""

from __future__ import annotations

import logging
import re
import time
from email.utils import parsedate_to_datetime

import pytest
from babel.dates import format_date

from app.extensions import db
from app.models import AuditEvent, ClientLink
from tests import factories as f
from tests.helpers import free_port
from tests.smtp_sink import silent_server, smtp_sink

LINK = re.compile(r'id="client-link" type="text" readonly value="([^"]+)"')


@pytest.fixture
def mail_to(app, monkeypatch):
    """Point the app at an SMTP port for one test (no STARTTLS: a local sink)."""

    def use(port: int, timeout: int = 2) -> None:
        monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
        monkeypatch.setitem(app.config, "SMTP_PORT", port)
        monkeypatch.setitem(app.config, "SMTP_STARTTLS", False)
        monkeypatch.setitem(app.config, "SMTP_TIMEOUT", timeout)
        monkeypatch.setitem(app.config, "SMTP_FROM", "reviews@agency.example")
        monkeypatch.setitem(app.config, "AGENCY_NAME", "Northwind Studio")
        monkeypatch.setitem(app.config, "MAIL_SENDER_NAME", "Northwind Reviews")

    return use


@pytest.fixture
def lead_client(client, login, review_team):
    login(client, review_team[0])
    return client


def _review(review_team, make_client, **client_fields):
    lead, members, _, _ = review_team
    return f.open_review(lead, make_client("Acme <Ltd>", actor=lead, **client_fields), members)


def _issue_by_email(http, review):
    return http.post(f"/reviews/{review.id}/links", data={"email": "1"}, follow_redirects=True)


def _audits(action):
    return db.session.query(AuditEvent).filter_by(action=action).all()


def test_the_client_receives_a_complete_message(lead_client, review_team, make_client, mail_to):
    review = _review(review_team, make_client)
    with smtp_sink() as (port, sink):
        mail_to(port)
        page = _issue_by_email(lead_client, review).get_data(as_text=True)
    assert len(sink.messages) == 1 and sink.recipients == [["pat@client.example"]]
    message = sink.messages[0]
    url = LINK.search(page).group(1)
    assert message["From"] == "Northwind Reviews <reviews@agency.example>"
    assert message["To"] == "pat@client.example"
    assert message["Subject"] == "Northwind Studio: your view on our work together"
    assert parsedate_to_datetime(message["Date"]).tzinfo is not None
    assert re.fullmatch(r"<[^<>@\s]+@agency\.example>", message["Message-ID"])
    body = message.get_content().replace("\r\n", "\n")
    assert body.startswith("Dear Pat Contact,\n")
    assert "Northwind Studio is looking back" in body and url in body
    link = db.session.query(ClientLink).one()
    expiry = format_date(link.expires_at, "medium", locale="en")
    expiry += link.expires_at.strftime(" %H:%M UTC")
    assert f"works once, until {expiry}." in body
    # Plain text: the client's name as typed, not HTML-escaped.
    assert "meant for Acme <Ltd>" in body
    assert link.email_state == "sent" and link.emailed_at is not None
    assert "Sent by e-mail to pat@client.example." in page
    assert [e.details for e in _audits("client_link.emailed")] == [
        f'{{"emailed": true, "link_id": {link.id}}}'
    ]
    assert '"email_requested": true' in _audits("client_link.issued")[0].details


def test_a_contact_without_a_name_gets_a_greeting_that_reads_well(
    lead_client, review_team, make_client, mail_to, monkeypatch, app
):
    review = _review(review_team, make_client, contact_name="")
    monkeypatch.setitem(app.config, "AGENCY_NAME", "")
    with smtp_sink() as (port, sink):
        mail_to(port)
        monkeypatch.setitem(app.config, "AGENCY_NAME", "")
        _issue_by_email(lead_client, review)
    body = sink.messages[0].get_content().replace("\r\n", "\n")
    assert body.startswith("Hello,\n") and "Hello ," not in body
    assert "We are looking back" in body
    assert sink.messages[0]["Subject"] == "Your view on our work together"


def test_the_lead_may_choose_not_to_email(lead_client, review_team, make_client, mail_to):
    review = _review(review_team, make_client)
    with smtp_sink() as (port, sink):
        mail_to(port)
        detail = lead_client.get(f"/reviews/{review.id}").get_data(as_text=True)
        assert "Create a link and e-mail it to pat@client.example" in detail
        assert "Create a link without e-mail" in detail
        page = lead_client.post(
            f"/reviews/{review.id}/links", data={"copy": "1"}, follow_redirects=True
        ).get_data(as_text=True)
    assert sink.messages == []
    assert db.session.query(ClientLink).one().email_state == "none"
    assert "Not e-mailed." in page and LINK.search(page)
    assert "E-mail it to pat@client.example" in page  # it can still be sent from here


def _assert_failure_kept_the_link(page: str, caplog) -> str:
    link = db.session.query(ClientLink).one()
    assert link.email_state == "failed" and link.emailed_at is None
    assert link.sent_to == "pat@client.example"
    url = LINK.search(page).group(1)
    assert "could not be sent" in page and "Try the e-mail to pat@client.example again" in page
    failed = _audits("client_link.email_failed")
    assert len(failed) == 1 and '"emailed": false' in failed[0].details
    assert not _audits("client_link.emailed")
    lines = [r.getMessage() for r in caplog.records if r.name == "candor.mail"]
    assert len(lines) == 1 and lines[0].startswith("event=mail_failed")
    assert f"link_id={link.id}" in lines[0]
    token = url.rsplit("/", 1)[1]
    assert token not in lines[0] and "pat@client.example" not in lines[0]
    return token


def test_a_refusing_mail_server_loses_nothing(
    lead_client, review_team, make_client, mail_to, caplog
):
    review = _review(review_team, make_client)
    mail_to(free_port())  # nothing listens there: connection refused
    caplog.set_level(logging.WARNING, logger="candor")
    response = _issue_by_email(lead_client, review)
    assert response.status_code == 200
    _assert_failure_kept_the_link(response.get_data(as_text=True), caplog)
    list_page = lead_client.get(f"/reviews/{review.id}").get_data(as_text=True)
    assert "Not sent to pat@client.example (mail server failed)" in list_page


def test_a_mail_server_that_never_answers_fails_within_the_timeout(
    lead_client, review_team, make_client, mail_to, caplog
):
    review = _review(review_team, make_client)
    caplog.set_level(logging.WARNING, logger="candor")
    with silent_server() as port:
        mail_to(port, timeout=1)
        started = time.monotonic()
        response = _issue_by_email(lead_client, review)
        elapsed = time.monotonic() - started
    assert elapsed < 4, elapsed
    _assert_failure_kept_the_link(response.get_data(as_text=True), caplog)
    assert "reason=" in caplog.records[-1].getMessage()


def test_a_failed_email_is_retried_from_the_page_that_shows_the_link(
    lead_client, review_team, make_client, mail_to, caplog
):
    review = _review(review_team, make_client)
    mail_to(free_port())
    page = _issue_by_email(lead_client, review).get_data(as_text=True)
    token = _assert_failure_kept_the_link(page, caplog)
    link = db.session.query(ClientLink).one()
    with smtp_sink() as (port, sink):
        mail_to(port)
        retried = lead_client.post(
            f"/reviews/{review.id}/links/{link.id}/email",
            data={"token": token},
            follow_redirects=True,
        )
    assert retried.status_code == 200
    retried_page = retried.get_data(as_text=True)
    assert LINK.search(retried_page).group(1).endswith(token)
    assert "Sent by e-mail to pat@client.example." in retried_page
    assert len(sink.messages) == 1 and token in sink.messages[0].get_content()
    db.session.expire_all()
    assert db.session.get(ClientLink, link.id).email_state == "sent"
    assert len(_audits("client_link.email_requested")) == 1
    assert len(_audits("client_link.emailed")) == 1
    # Still one link, and it is the active one.
    assert db.session.query(ClientLink).count() == 1


def test_the_message_is_in_the_clients_language_whatever_the_leads(
    lead_client, review_team, make_client, mail_to, app
):
    from flask_babel import force_locale, gettext

    review = _review(review_team, make_client, language="da")
    with smtp_sink() as (port, sink):
        mail_to(port)
        page = _issue_by_email(lead_client, review).get_data(as_text=True)
    assert '<html lang="en">' in page  # the lead's page stays English
    body = sink.messages[0].get_content().replace("\r\n", "\n")
    with app.test_request_context(), force_locale("da"):
        greeting = gettext("Dear %(name)s,", name="Pat Contact")
        rest = gettext("Opening it does not use it up; sending your answers does.")
    assert body.startswith(greeting + "\n") and rest in body
    assert "Opening it does not use it up" not in body
    link = db.session.query(ClientLink).one()
    expiry = format_date(link.expires_at, "medium", locale="da")
    assert expiry + link.expires_at.strftime(" %H:%M UTC") in body
