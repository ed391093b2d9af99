"""The client's private link: GET never spends it, POST does, every bad token looks alike."""

import re
from datetime import timedelta

import pytest

from app.extensions import db
from app.models import AuditEvent, ClientAnswerRow, ClientLink, ClientResponseRow, utcnow
from app.services.client_links import hash_token
from tests import factories as f
from tests.web.client_view_helpers import send_answers


def _issue(client, login, lead, review) -> str:
    login(client, lead)
    page = client.post(f"/reviews/{review.id}/links", follow_redirects=True).get_data(as_text=True)
    client.post("/auth/logout")
    return re.search(r'value="http://candor\.test/respond/([^"]+)"', page).group(1)


def _answers(catalogue, rating="2"):
    return {f"rating__{d.key}": rating for d in catalogue.dimensions}


def test_the_token_is_shown_once_and_only_its_hash_is_stored(client, login, review_team, review):
    lead = review_team[0]
    token = _issue(client, login, lead, review)
    assert len(token) >= 43  # 32 random bytes, url-safe base64
    link = db.session.query(ClientLink).one()
    assert link.token_hash == hash_token(token) and token not in link.token_hash
    login(client, lead)
    assert token not in client.get(f"/reviews/{review.id}").get_data(as_text=True)


def test_opening_the_link_does_not_spend_it(client, login, review_team, review):
    token = _issue(client, login, review_team[0], review)
    for _ in range(3):
        page = client.get(f"/respond/{token}")
        assert page.status_code == 200
    assert db.session.query(ClientLink).one().used_at is None


def test_the_client_page_shows_client_wording_and_nothing_of_the_team(
    client, login, review_team, review
):
    lead, members, _, _ = review_team
    f.submit(
        review,
        members[0],
        f.full_response(choices={"muddy": "SECRET-EVIDENCE"}, comment="SECRET-COMMENT"),
    )
    token = _issue(client, login, lead, review)
    page = client.get(f"/respond/{token}")
    text = page.get_data(as_text=True)
    catalogue = f.ensure_catalogue()
    assert "The agency" in text
    assert "SECRET-EVIDENCE" not in text and "SECRET-COMMENT" not in text
    assert "Muddy" not in text and "A conflict." not in text
    assert page.headers["Referrer-Policy"] == "same-origin"
    assert all(f"rating__{d.key}" in text for d in catalogue.dimensions)


def test_submitting_spends_the_link_and_a_reuse_gets_the_polite_page(
    client, login, review_team, review
):
    token = _issue(client, login, review_team[0], review)
    catalogue = f.ensure_catalogue()
    response = send_answers(client, token, _answers(catalogue))
    assert response.status_code == 302 and response.headers["Location"] == "/respond/thanks"
    assert db.session.query(ClientLink).one().used_at is not None
    # The browser that sent them is told so; any other gets the same page as a forged link.
    again = client.post(f"/respond/{token}", data=_answers(catalogue, "5"))
    assert again.status_code == 200 and b"Your answers were received" in again.data
    client.delete_cookie("session")
    for reuse in (client.get, lambda url: client.post(url, data=_answers(catalogue, "5"))):
        response = reuse(f"/respond/{token}")
        assert response.status_code == 404 and b"no longer valid" in response.data
    assert {a.rating for a in db.session.query(ClientAnswerRow).all()} == {2}
    assert db.session.query(AuditEvent).filter_by(action="client_view.submitted").count() == 1


@pytest.mark.parametrize("token", ["x", "A" * 43, "A" * 500, "%3Cscript%3E"])
def test_forged_tokens_get_the_same_polite_page(client, token, review):
    response = client.get(f"/respond/{token}")
    assert response.status_code == 404
    assert b"This link is no longer valid" in response.data


def test_expired_and_revoked_links_get_the_same_page_and_write_nothing(
    client, login, review_team, review
):
    lead = review_team[0]
    catalogue = f.ensure_catalogue()
    expired = _issue(client, login, lead, review)
    link = db.session.query(ClientLink).one()
    link.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    revoked = _issue(client, login, lead, review)
    second = db.session.query(ClientLink).order_by(ClientLink.id.desc()).first()
    login(client, lead)
    client.post(f"/reviews/{review.id}/links/{second.id}/revoke")
    client.post("/auth/logout")
    for token in (expired, revoked):
        assert client.get(f"/respond/{token}").status_code == 404
        response = client.post(f"/respond/{token}", data=_answers(catalogue))
        assert response.status_code == 404 and b"This link is no longer valid" in response.data
    assert db.session.query(ClientResponseRow).count() == 0


def test_bad_client_ratings_are_refused_and_the_link_stays_usable(
    client, login, review_team, review
):
    token = _issue(client, login, review_team[0], review)
    catalogue = f.ensure_catalogue()
    for data in (
        {},
        _answers(catalogue, "6"),
        _answers(catalogue, "abc"),
        {**_answers(catalogue), "comment": "x" * 100_000},
    ):
        assert client.post(f"/respond/{token}", data=data).status_code == 400
    assert db.session.query(ClientLink).one().used_at is None
    assert send_answers(client, token, _answers(catalogue)).status_code == 302


def test_html_in_client_comments_is_escaped_for_the_lead(client, login, review_team, review):
    lead, members, _, _ = review_team
    token = _issue(client, login, lead, review)
    catalogue = f.ensure_catalogue()
    sent = send_answers(
        client, token, {**_answers(catalogue), "comment": "<script>alert('x')</script>"}
    )
    assert sent.status_code == 302
    for m in members:
        f.submit(review, m)
    f.close(review, lead)
    login(client, lead)
    page = client.get(f"/reviews/{review.id}/compare").get_data(as_text=True)
    assert "<script>alert('x')</script>" not in page and "&lt;script&gt;" in page


def test_only_the_reviews_lead_can_issue_or_revoke_links(
    client, login, review_team, review, make_user
):
    lead, members, _, _ = review_team
    login(client, members[0])
    assert client.post(f"/reviews/{review.id}/links").status_code == 403
    client.post("/auth/logout")
    login(client, make_user("lead"))
    # Another lead is not part of the review: the 404 of a missing one (issue 15).
    assert client.post(f"/reviews/{review.id}/links").status_code == 404
    assert db.session.query(ClientLink).count() == 0


def test_revoking_a_link_of_another_review_is_404(client, login, review_team, review, make_client):
    lead, members, _, _ = review_team
    other = f.open_review(lead, make_client("Other"), members)
    _issue(client, login, lead, other)
    link = db.session.query(ClientLink).one()
    login(client, lead)
    assert client.post(f"/reviews/{review.id}/links/{link.id}/revoke").status_code == 404
    assert db.session.query(ClientLink).one().revoked_at is None


def test_the_lead_records_the_clients_view_with_a_quoted_source(client, login, review_team, review):
    lead = review_team[0]
    catalogue = f.ensure_catalogue()
    login(client, lead)
    missing = client.post(f"/reviews/{review.id}/client-view", data=_answers(catalogue))
    assert missing.status_code == 400 and db.session.query(ClientResponseRow).count() == 0
    ok = client.post(
        f"/reviews/{review.id}/client-view",
        data={**_answers(catalogue, "3"), "source_quote": "E-mail of 3 March: 'you never listen'"},
    )
    assert ok.status_code == 302
    stored = db.session.query(ClientResponseRow).one()
    assert stored.source == "lead" and stored.recorded_by_id == lead.id
    twice = client.post(
        f"/reviews/{review.id}/client-view", data={**_answers(catalogue), "source_quote": "again"}
    )
    assert twice.status_code == 400 and b"already been recorded" in twice.data
    assert db.session.query(ClientResponseRow).count() == 1
