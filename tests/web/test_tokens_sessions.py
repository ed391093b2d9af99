"""Client tokens and login sessions (PITFALLS 5-8)."""

import hmac
import re

from app.extensions import db, limiter
from app.models import ClientLink, utcnow
from app.services import client_links
from tests import factories as f
from tests.helpers import PASSWORD


def _review(review_team):
    lead, members, _, agency_client = review_team
    return lead, f.open_review(lead, agency_client, members)


def test_tokens_carry_at_least_128_bits_and_differ_every_time(review_team):
    lead, review = _review(review_team)
    tokens = {
        client_links.issue_link(review.id, lead, utcnow(), send_email=False)[1] for _ in range(20)
    }
    assert len(tokens) == 20
    # token_urlsafe(32): 32 random bytes = 256 bits, 43 base64url characters.
    assert all(len(t) >= 43 for t in tokens)
    stored = {link.token_hash for link in db.session.query(ClientLink)}
    assert not tokens & stored and len(stored) == 20


def test_token_lookup_compares_in_constant_time(review_team, monkeypatch):
    lead, review = _review(review_team)
    _, token = client_links.issue_link(review.id, lead, utcnow(), send_email=False)
    calls = []
    real = hmac.compare_digest
    monkeypatch.setattr(
        client_links.hmac, "compare_digest", lambda a, b: calls.append(1) or real(a, b)
    )
    client_links.find_usable_link(token, utcnow())
    assert calls == [1]


def test_the_token_route_is_rate_limited(app, client, review_team):
    app.config["TOKEN_RATE_LIMIT"] = "5 per minute"
    limiter.reset()
    try:
        statuses = [client.get(f"/respond/guess-{i:040d}").status_code for i in range(7)]
        assert statuses == [404] * 5 + [429] * 2
    finally:
        app.config["TOKEN_RATE_LIMIT"] = "10000 per minute"
        limiter.reset()


def test_absolute_links_use_the_configured_base_url_not_the_host_header(client, review_team):
    lead, review = _review(review_team)
    evil = "http://evil.example"
    client.post("/auth/login", data={"email": lead.email, "password": PASSWORD}, base_url=evil)
    page = client.post(
        f"/reviews/{review.id}/links", base_url=evil, follow_redirects=True
    ).get_data(as_text=True)
    link = re.search(r'id="client-link" type="text" readonly value="([^"]+)"', page).group(1)
    assert link.startswith("http://candor.test/respond/") and "evil.example" not in link
    # The lead is told the address in use differs from the one the link is built from.
    assert 'id="base-url-warning"' in page


def test_the_session_is_fresh_after_login(client, make_user):
    user = make_user()
    with client.session_transaction() as session:
        session["planted"] = "by an attacker before login"
    client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"].startswith(f"{user.id}:")


def test_logout_clears_the_session(client, make_user, login):
    login(client, make_user())
    client.post("/auth/logout")
    with client.session_transaction() as session:
        assert "_user_id" not in session


def test_the_mail_goes_out_only_after_the_commit_and_to_the_client(app, review_team, monkeypatch):
    from app.services import mail

    sent = []
    app.config["SMTP_HOST"] = "smtp.test"
    monkeypatch.setattr(mail, "send", lambda message: sent.append(message))
    try:
        lead, review = _review(review_team)
        client_links.issue_link(review.id, lead, utcnow())
    finally:
        app.config["SMTP_HOST"] = ""
    assert len(sent) == 1
    to, body = sent[0]["To"], sent[0].get_content()
    assert to == "pat@client.example" and "http://candor.test/respond/" in body
