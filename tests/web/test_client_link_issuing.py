"""The lead issues the client's link (issue 14, "Client link"): a POST answered by a
redirect, shown once, a new link revoking the older ones, a list that tells links apart,
a warning when BASE_URL is not the address in use."""

from __future__ import annotations

import re

import pytest

from app.extensions import db
from app.models import AuditEvent, ClientLink, utcnow
from app.services import client_links
from tests import factories as f

LINK = re.compile(r'id="client-link" type="text" readonly value="([^"]+)"')


@pytest.fixture
def lead_client(client, login, review_team):
    login(client, review_team[0])
    return client


def _token_of(page: str) -> str:
    return LINK.search(page).group(1).rsplit("/", 1)[1]


def test_issuing_is_a_post_answered_by_a_redirect_and_a_reload_issues_nothing(lead_client, review):
    response = lead_client.post(f"/reviews/{review.id}/links")
    assert response.status_code == 303
    link = db.session.query(ClientLink).one()
    assert response.headers["Location"].endswith(f"/reviews/{review.id}/links/{link.id}")
    shown = lead_client.get(response.headers["Location"])
    token = _token_of(shown.get_data(as_text=True))
    assert client_links.hash_token(token) == link.token_hash
    reloaded = lead_client.get(response.headers["Location"]).get_data(as_text=True)
    assert token not in reloaded and LINK.search(reloaded) is None
    assert "Candor cannot show it again" in reloaded
    assert db.session.query(ClientLink).count() == 1
    # The token left the session with the one page that showed it.
    with lead_client.session_transaction() as session:
        assert token not in str(dict(session))


def test_a_new_link_revokes_the_older_ones_and_the_old_token_stops_working(lead_client, review):
    first = _token_of(
        lead_client.post(f"/reviews/{review.id}/links", follow_redirects=True).get_data(
            as_text=True
        )
    )
    second = _token_of(
        lead_client.post(f"/reviews/{review.id}/links", follow_redirects=True).get_data(
            as_text=True
        )
    )
    states = [client_links.link_state(link, utcnow()) for link in client_links.links_of(review)]
    assert states == ["active", "revoked"]
    assert lead_client.get(f"/respond/{first}").status_code == 404
    assert lead_client.get(f"/respond/{second}").status_code == 200
    issued = db.session.query(AuditEvent).filter_by(action="client_link.issued").all()
    assert '"revoked_links": [' in issued[-1].details


def test_the_list_tells_links_apart_created_expires_state_and_email(
    lead_client, review, review_team
):
    lead = review_team[0]
    now = utcnow()
    old, _ = client_links.issue_link(review.id, lead, now, send_email=False)
    newer, _ = client_links.issue_link(review.id, lead, now, send_email=False)
    db.session.get(ClientLink, newer.id).email_state = "failed"
    db.session.get(ClientLink, newer.id).sent_to = "pat@client.example"
    db.session.commit()
    page = lead_client.get(f"/reviews/{review.id}").get_data(as_text=True)
    for heading in ("Created", "Expires", "State", "E-mail"):
        assert f'<th scope="col">{heading}</th>' in page
    old_row = re.search(rf'<tr id="link-{old.id}">(.*?)</tr>', page, re.S).group(1)
    new_row = re.search(rf'<tr id="link-{newer.id}">(.*?)</tr>', page, re.S).group(1)
    assert "Revoked" in old_row and "Not e-mailed" in old_row and "UTC" in old_row
    assert "Waiting for the client" in new_row
    assert "Not sent to pat@client.example (mail server failed)" in new_row


def test_the_lead_is_warned_when_base_url_is_not_the_address_in_use(lead_client, review):
    same = lead_client.post(
        f"/reviews/{review.id}/links", base_url="http://candor.test", follow_redirects=True
    )
    assert 'id="base-url-warning"' not in same.get_data(as_text=True)
    other = lead_client.post(
        f"/reviews/{review.id}/links", base_url="http://localhost:8123", follow_redirects=True
    )
    page = other.get_data(as_text=True)
    assert 'id="base-url-warning"' in page
    assert "you are using http://localhost:8123" in page and "http://candor.test" in page
    assert LINK.search(page).group(1).startswith("http://candor.test/respond/")


def test_the_copy_button_is_progressive_script_from_static(lead_client, review):
    page = lead_client.post(f"/reviews/{review.id}/links", follow_redirects=True).get_data(
        as_text=True
    )
    assert '<script src="/static/js/copy.js" defer></script>' in page
    assert re.search(r"<script>(?!</script>)", page) is None  # nothing inline
    assert 'data-copy-from="client-link"' in page and " hidden>" in page
    script = lead_client.get("/static/js/copy.js")
    script.close()
    assert script.status_code == 200


def test_someone_elses_link_page_is_404_and_a_link_of_another_review_too(
    lead_client, review, review_team, make_client, make_user
):
    lead, members, _, _ = review_team
    other = f.open_review(lead, make_client("Other"), members)
    link, _ = client_links.issue_link(other.id, lead, utcnow(), send_email=False)
    assert lead_client.get(f"/reviews/{review.id}/links/{link.id}").status_code == 404
    assert lead_client.get(f"/reviews/{review.id}/links/999999").status_code == 404
    foreign_lead = make_user("lead")
    foreign = f.open_review(foreign_lead, make_client("Foreign"), members)
    foreign_link, _ = client_links.issue_link(foreign.id, foreign_lead, utcnow(), send_email=False)
    # another lead's review: the 404 of a missing one (issue 15)
    assert lead_client.get(f"/reviews/{foreign.id}/links/{foreign_link.id}").status_code == 404


@pytest.mark.parametrize(
    "data,status",
    [
        ({}, 400),
        ({"token": ""}, 400),
        ({"token": "x" * 101}, 400),
        ({"token": "not-the-token"}, 404),
        ({"token": "<script>alert(1)</script>"}, 404),
        ({"token": "\u202etoken\u200b"}, 404),
    ],
)
def test_emailing_again_needs_the_links_own_token(lead_client, review, review_team, data, status):
    link, _ = client_links.issue_link(review.id, review_team[0], utcnow(), send_email=False)
    response = lead_client.post(f"/reviews/{review.id}/links/{link.id}/email", data=data)
    assert response.status_code == status
    assert db.session.get(ClientLink, link.id).email_state == "none"


def test_another_links_token_does_not_email_this_link(lead_client, review, review_team):
    lead = review_team[0]
    first, first_token = client_links.issue_link(review.id, lead, utcnow(), send_email=False)
    # Revoke nothing: a link on another review, with its own token.
    response = lead_client.post(
        f"/reviews/{review.id}/links/{first.id + 1}/email", data={"token": first_token}
    )
    assert response.status_code == 404


def test_emailing_a_revoked_link_is_refused_politely(lead_client, review, review_team):
    lead = review_team[0]
    old, old_token = client_links.issue_link(review.id, lead, utcnow(), send_email=False)
    client_links.issue_link(review.id, lead, utcnow(), send_email=False)
    response = lead_client.post(
        f"/reviews/{review.id}/links/{old.id}/email",
        data={"token": old_token},
        follow_redirects=True,
    )
    assert "This link is no longer valid." in response.get_data(as_text=True)
    assert db.session.get(ClientLink, old.id).email_state == "none"


def test_emailing_without_mail_configured_says_so(lead_client, review, review_team):
    link, token = client_links.issue_link(review.id, review_team[0], utcnow(), send_email=False)
    response = lead_client.post(
        f"/reviews/{review.id}/links/{link.id}/email", data={"token": token}, follow_redirects=True
    )
    assert "The link cannot be e-mailed" in response.get_data(as_text=True)


def test_without_mail_the_review_offers_one_button_and_no_email_choice(lead_client, review):
    page = lead_client.get(f"/reviews/{review.id}").get_data(as_text=True)
    assert "Create a client link" in page and "e-mail it to" not in page


def test_issuing_needs_a_csrf_token(app, review, review_team):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        http = app.test_client()
        from tests.helpers import PASSWORD

        login_page = http.get("/auth/login").get_data(as_text=True)
        csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page).group(1)
        http.post(
            "/auth/login",
            data={"email": review_team[0].email, "password": PASSWORD, "csrf_token": csrf},
        )
        assert http.post(f"/reviews/{review.id}/links").status_code == 400
        assert db.session.query(ClientLink).count() == 0
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_a_closed_review_issues_no_link(lead_client, review_team, make_client):
    lead, members, _, _ = review_team
    review = f.open_review(lead, make_client("Closing"), members)
    for member in members:
        f.submit(review, member)
    f.close(review, lead)
    response = lead_client.post(f"/reviews/{review.id}/links", follow_redirects=True)
    assert response.status_code == 200
    assert db.session.query(ClientLink).filter_by(review_id=review.id).count() == 0
