"""The client's answer posted with a missing, forged or another session's CSRF token (the
browser lost its cookie, the page was opened in another browser) sends nothing and shows
the form again with everything the client typed, instead of an error page that loses it.
The page's own fresh token then goes through, and the link is still unused."""

from __future__ import annotations

import re

import pytest

from app.extensions import db
from app.models import ClientResponseRow, utcnow
from app.services import client_links
from tests import factories as f
from tests.web.client_view_helpers import fingerprint

EXPIRED = "This page had expired, so nothing was sent."
COMMENT = "Three weeks late & the invoice <b>doubled</b>"


@pytest.fixture
def token(review_team, csrf_enabled):
    lead, members, _, agency_client = review_team
    review = f.open_review(lead, agency_client, members)
    _, issued = client_links.issue_link(review.id, lead, utcnow(), send_email=False)
    return issued


def _page_token(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def _typed() -> dict:
    catalogue = f.ensure_catalogue()
    data = {f"rating__{d.key}": "2" for d in catalogue.dimensions[:5]}
    data["comment"] = COMMENT
    return data


def _refused_token(client, kind: str) -> dict:
    if kind == "missing":
        return {}
    if kind == "forged":
        return {"csrf_token": "IjAwMDAi.forged.token"}
    other = client.application.test_client()  # a real token, of another session
    return {"csrf_token": _page_token(other.get("/auth/login").get_data(as_text=True))}


@pytest.mark.parametrize("kind", ["missing", "forged", "another session"])
@pytest.mark.parametrize("step", ["check", "send"])
def test_a_refused_token_sends_nothing_and_keeps_what_was_typed(client, token, kind, step):
    address = f"/respond/{token}"
    data = _typed()
    if step == "send":
        # The check step went through with the page's token; "Send" then comes without one.
        fresh = _page_token(client.get(address).get_data(as_text=True))
        checked = client.post(address, data={**data, "csrf_token": fresh})
        data = {**data, "checked": fingerprint(checked), "send": "1"}
    response = client.post(address, data={**data, **_refused_token(client, kind)})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert EXPIRED in page
    assert "Three weeks late &amp; the invoice &lt;b&gt;doubled&lt;/b&gt;" in page
    assert len(re.findall(r'<input checked[^>]*value="2"', page)) == 5
    assert db.session.query(ClientResponseRow).count() == 0
    # The form came back with a token of this session: sending again goes through.
    again = {**_typed(), "csrf_token": _page_token(page)}
    checked = client.post(address, data=again)
    assert checked.status_code == 200
    sent = client.post(address, data={**again, "checked": fingerprint(checked), "send": "1"})
    assert sent.status_code == 302
    assert db.session.query(ClientResponseRow).count() == 1


def test_a_dead_link_is_refused_before_any_token_is_looked_at(client):
    response = client.post("/respond/not-a-real-link", data=_typed())
    assert response.status_code == 404
    assert EXPIRED not in response.get_data(as_text=True)
