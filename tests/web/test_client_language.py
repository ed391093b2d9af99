"""The client's pages speak the client's language; the client can switch on the page
without losing what it typed, and nothing is checked or saved by a switch."""

from __future__ import annotations

import re

import pytest
from flask_babel import force_locale, gettext

from app.domain.catalogue_default import default_catalogue
from app.extensions import db
from app.models import Client, ClientLink, ClientResponseRow, utcnow
from app.services import client_links
from tests import factories as f
from tests.web.client_view_helpers import send_answers


@pytest.fixture
def hungarian_link(make_user, make_client):
    f.ensure_catalogue()
    lead = make_user("lead")
    members = [make_user("member") for _ in range(3)]
    customer = make_client("Magyar Kft", actor=lead)
    db.session.get(Client, customer.id).language = "hu"
    db.session.commit()
    review = f.open_review(lead, customer, members)
    _, token = client_links.issue_link(review.id, lead, utcnow(), send_email=False)
    return token


def _words(app, language, text):
    with app.test_request_context(), force_locale(language):
        return gettext(text)


def _lang(page: str) -> str:
    return re.search(r'<html lang="([^"]+)"', page).group(1)


def test_the_clients_page_is_in_the_clients_language(app, client, hungarian_link):
    page = client.get(f"/respond/{hungarian_link}").get_data(as_text=True)
    assert _lang(page) == "hu"
    assert _words(app, "hu", "How did we work for you?") in page
    statement = default_catalogue().localized("hu").dimensions[0].client_statement
    assert statement in page
    assert default_catalogue().dimensions[0].client_statement not in page
    assert _words(app, "hu", "Strongly agree") in page and "Strongly agree" not in page


def test_switching_language_keeps_what_was_typed_and_saves_nothing(app, client, hungarian_link):
    first, second = default_catalogue().dimensions[:2]
    typed = {
        f"rating__{first.key}": "4",
        f"rating__{second.key}": "skip",
        f"comment__{first.key}": "Jó munka, <b>de</b> késve.",
        "comment": "Összességében rendben.",
    }
    response = client.post(f"/respond/{hungarian_link}", data={**typed, "switch_language": "da"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and _lang(page) == "da"
    assert _words(app, "da", "How did we work for you?") in page
    chosen = re.search(rf'<input([^>]*)name="rating__{first.key}"([^>]*)value="4"([^>]*)>', page)
    assert chosen and "checked" in "".join(chosen.groups())
    assert "Jó munka, &lt;b&gt;de&lt;/b&gt; késve." in page and "Összességében rendben." in page
    db.session.expire_all()
    assert db.session.query(ClientResponseRow).count() == 0
    assert db.session.query(ClientLink).one().used_at is None
    # the pick stays for this browser: the next visit, the check and thanks pages are Danish
    assert _lang(client.get(f"/respond/{hungarian_link}").get_data(as_text=True)) == "da"
    sent = send_answers(client, hungarian_link, typed)
    assert sent.status_code == 302
    thanks = client.get(sent.headers["Location"]).get_data(as_text=True)
    assert _lang(thanks) == "da" and _words(app, "da", "Thank you") in thanks


def test_switching_back_and_forth(app, client, hungarian_link):
    first = default_catalogue().dimensions[0]
    typed = {f"rating__{first.key}": "2"}
    client.post(f"/respond/{hungarian_link}", data={**typed, "switch_language": "da"})
    page = client.post(
        f"/respond/{hungarian_link}", data={**typed, "switch_language": "hu"}
    ).get_data(as_text=True)
    assert _lang(page) == "hu"
    assert re.search(rf'<input[^>]*name="rating__{first.key}"[^>]*value="2"[^>]*>', page)
    checked = re.search(rf'<input([^>]*)name="rating__{first.key}"([^>]*)value="2"([^>]*)>', page)
    assert "checked" in "".join(checked.groups())


@pytest.mark.parametrize("code", ["xx", "", "<script>", "da\u202e", "x" * 3000])
def test_an_unknown_language_switch_never_fails(client, hungarian_link, code):
    response = client.post(f"/respond/{hungarian_link}", data={"switch_language": code})
    # not a switch: an ordinary (empty) post, answered in the client's own language
    assert response.status_code in (200, 400)
    assert _lang(response.get_data(as_text=True)) == "hu"
    assert client.get(f"/respond/{hungarian_link}?lang={code[:50]}").status_code == 200


def test_a_switch_by_an_agency_user_does_not_change_their_own_pages(
    client, login, make_user, hungarian_link
):
    member = make_user("member")
    login(client, member)
    client.post(f"/respond/{hungarian_link}", data={"switch_language": "da"})
    assert _lang(client.get("/").get_data(as_text=True)) == "en"


def test_an_invalid_link_page_speaks_the_browsers_language(client):
    page = client.get("/respond/not-a-token", headers={"Accept-Language": "hu"})
    assert page.status_code == 404 and _lang(page.get_data(as_text=True)) == "hu"


def test_after_sending_the_pages_stay_in_the_clients_language(app, client, hungarian_link):
    # A Hungarian client whose browser asks for English, and who never picked a language:
    # the thanks page and the spent link's "received" page know no client, yet stay Hungarian.
    english = {"Accept-Language": "en"}
    address = f"/respond/{hungarian_link}"
    assert _lang(client.get(address, headers=english).get_data(as_text=True)) == "hu"
    first = default_catalogue().dimensions[0].key
    sent = send_answers(client, hungarian_link, {f"rating__{first}": "4"})
    assert sent.status_code == 302
    thanks = client.get(sent.headers["Location"], headers=english).get_data(as_text=True)
    assert _lang(thanks) == "hu" and _words(app, "hu", "Thank you") in thanks
    received = client.get(address, headers=english).get_data(as_text=True)
    assert _lang(received) == "hu"
