"""The client's page speaks for the agency in neutral words: the deployment's agency name,
contact and privacy note, numbered statements without the agency's category titles, no
agency navigation; after sending, this browser is told its answers were received."""

from __future__ import annotations

import re

import pytest
from flask import session as flask_session

from app.extensions import db
from app.models import ClientResponseRow
from app.respond.receipt import KEEP, SESSION_KEY, remember_sent, sent_from_this_browser
from tests.web.client_view_helpers import send_answers


@pytest.fixture
def deployment(app, monkeypatch):
    def configure(**values):
        for name, value in values.items():
            monkeypatch.setitem(app.config, name, value)

    return configure


def one_answer(catalogue) -> dict[str, str]:
    return {f"rating__{catalogue.dimensions[0].key}": "4"}


def pages_of_the_client(client, catalogue, token) -> list[str]:
    """The form, the check step and the thanks page, as the client meets them."""
    form = client.get(f"/respond/{token}").get_data(as_text=True)
    check = client.post(f"/respond/{token}", data=one_answer(catalogue)).get_data(as_text=True)
    sent = send_answers(client, token, one_answer(catalogue))
    thanks = client.get(sent.headers["Location"]).get_data(as_text=True)
    return [form, check, thanks]


def test_the_deployments_agency_name_contact_and_privacy_note_are_shown(
    client, catalogue, token, deployment
):
    deployment(
        AGENCY_NAME="Nordlys <Reklame>",
        AGENCY_CONTACT="Mette Holm, mette@nordlys.example, +45 12 34 56 78",
        CLIENT_PRIVACY_NOTE="Read by the account team only; deleted after 3 years.",
    )
    for page in pages_of_the_client(client, catalogue, token):
        assert '<p class="brand">Nordlys &lt;Reklame&gt;</p>' in page
        assert "· Nordlys &lt;Reklame&gt;</title>" in page
        assert "Mette Holm, mette@nordlys.example, +45 12 34 56 78" in page
        assert "Read by the account team only; deleted after 3 years." in page
    form = client.get(f"/respond/{token}")  # used now: this browser is told, in the same frame
    assert "Nordlys &lt;Reklame&gt; is looking back" not in form.get_data(as_text=True)
    assert "Mette Holm" in form.get_data(as_text=True)


def test_without_configuration_the_client_page_uses_neutral_defaults(
    client, catalogue, token, deployment
):
    deployment(AGENCY_NAME="", AGENCY_CONTACT="", CLIENT_PRIVACY_NOTE="")
    page = client.get(f"/respond/{token}").get_data(as_text=True)
    assert '<p class="brand">The agency</p>' in page
    assert "The agency is looking back honestly at its work for" in page
    assert "reply to the message that brought you this link" in page
    assert "Your answers stay within the agency." in page


def test_the_client_sees_no_agency_navigation_titles_or_judging_words(client, catalogue, token):
    for page in pages_of_the_client(client, catalogue, token):
        text = re.sub(r"<[^>]*>", " ", page).lower()  # what the client reads
        for word in ("judges", "blacklist", "candor", "verdict", "dashboard", "log in"):
            assert word not in text, word
        links = re.findall(r'<a [^>]*href="([^"]*)"', page)
        # only links within the page (the skip link, the jump to the language switch):
        # no way into the agency's tool
        assert links and all(link.startswith("#") for link in links), links
        assert "main-nav" not in page
        assert all(d.title not in page for d in catalogue.dimensions)
        assert '"None"' not in page


def test_statements_are_numbered_for_the_client_and_titled_for_the_lead(
    client, login, review_team, review, catalogue, token
):
    total = len(catalogue.dimensions)
    page = client.get(f"/respond/{token}").get_data(as_text=True)
    legends = re.findall(r'<fieldset class="dimension">\s*<legend>([^<]*)</legend>', page)
    assert legends == [f"Statement {n} of {total}" for n in range(1, total + 1)]
    login(client, review_team[0])
    recorded = client.get(f"/reviews/{review.id}/client-view").get_data(as_text=True)
    assert all(d.title in recorded for d in catalogue.dimensions)


def test_the_form_asks_the_browser_not_to_send_on_enter(client, token):
    page = client.get(f"/respond/{token}").get_data(as_text=True)
    assert re.search(r"<form [^>]*data-enter-does-not-submit", page)
    assert '<script src="/static/js/respond.js" defer></script>' in page
    assert "<script>" not in page  # the CSP allows no inline script


def test_back_after_sending_says_the_answers_were_received(client, catalogue, token):
    assert send_answers(client, token, one_answer(catalogue)).status_code == 302
    for again in (
        client.get(f"/respond/{token}"),
        client.post(f"/respond/{token}", data=one_answer(catalogue)),
        client.post(f"/respond/{token}", data={**one_answer(catalogue), "change": "1"}),
    ):
        page = again.get_data(as_text=True)
        assert again.status_code == 200
        assert "Your answers were received" in page
        assert "Nothing was saved from this visit" not in page
    assert db.session.query(ClientResponseRow).count() == 1


def test_the_session_mark_holds_no_token_and_keeps_only_the_last_few(app, client, catalogue, token):
    assert send_answers(client, token, one_answer(catalogue)).status_code == 302
    with client.session_transaction() as session:
        assert len(session[SESSION_KEY]) == 1 and token not in session[SESSION_KEY][0]
    with app.test_request_context():
        for n in range(KEEP + 1):
            remember_sent(f"token-{n}")
        assert not sent_from_this_browser("token-0")
        assert all(sent_from_this_browser(f"token-{n}") for n in range(1, KEEP + 1))
        assert len(flask_session[SESSION_KEY]) == KEEP


@pytest.mark.parametrize("stored", ["not a list", 42, [1, None, {"x": 1}], ["a" * 32] * 50])
def test_a_forged_or_odd_session_mark_never_breaks_the_page(client, token, stored):
    with client.session_transaction() as session:
        session[SESSION_KEY] = stored
    assert client.get(f"/respond/{token}").status_code == 200  # unused link: the form
    assert client.get("/respond/forged-token").status_code == 404


def test_the_lead_sees_how_many_statements_the_client_answered(
    client, login, review_team, review, catalogue, token
):
    data = {f"rating__{d.key}": "3" for d in catalogue.dimensions[:9]}
    assert send_answers(client, token, data).status_code == 302
    login(client, review_team[0])
    page = client.get(f"/reviews/{review.id}").get_data(as_text=True)
    total = len(catalogue.dimensions)
    assert f"The client's view rates 9 of {total} statements" in page


def test_errors_on_the_client_pages_keep_the_clients_frame(app, client, token, monkeypatch):
    # (A refused CSRF token is no error page here: the form comes back, test_client_csrf.)
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1024)
    response = client.post(f"/respond/{token}", data={"comment": "x" * 4096})
    page = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "Too much text" in page and '<p class="brand">' in page
    assert "dashboard" not in page.lower() and "judges" not in page
    assert re.findall(r'<a [^>]*href="([^"]*)"', page) == ["#main"]
