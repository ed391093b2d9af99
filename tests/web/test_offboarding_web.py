"""The offboarding kit's pages and the handling advice: roles, gating, hostile text in the
kit, the print view and the client's page, CSRF, forged ids, double submits."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.models import ClosingRecord, ManagedAccount, OffboardingKit, utcnow
from app.services import offboarding
from app.services.archive_verify import verify_archive
from tests.archive_factory import at, decide
from tests.helpers import PASSWORD, csrf_token_from

HOSTILE = '<script>alert(1)</script>\u202eevil\u200b "x" & y'


@pytest.fixture
def decided(review_team):
    lead, members, outsider, acme = review_team
    decision = decide(
        lead,
        members,
        acme,
        when=at("2026-03-15"),
        outcomes={"pay_eventually": "confirmed"},
        rationale="Pays months late.",
    )
    return lead, members, acme, decision


def _kit_url(acme, path=""):
    return f"/offboarding/{acme.id}/{path}"


def test_members_cannot_reach_the_kit(client, login, decided):
    lead, members, acme, decision = decided
    login(client, members[0])
    assert client.get(_kit_url(acme)).status_code == 403
    assert client.post(_kit_url(acme, "open")).status_code == 403


def test_steps_of_a_client_without_a_kit_are_404(client, login, decided):
    lead, members, acme, decision = decided
    login(client, lead)
    for path in ("accounts", "payments", "report", "reason", "status", "complete"):
        assert client.post(_kit_url(acme, path), data={}).status_code == 404
    assert client.get(_kit_url(acme, "report/print")).status_code == 404
    assert client.get("/offboarding/99999/").status_code == 404


def test_the_whole_kit_through_the_pages(client, login, decided):
    lead, members, acme, decision = decided
    login(client, lead)
    assert client.post(_kit_url(acme, "open")).status_code == 302
    assert client.post(_kit_url(acme, "open")).status_code == 302  # double submit: one kit
    assert db.session.query(OffboardingKit).count() == 1
    client.post(_kit_url(acme, "accounts"), data={"name": HOSTILE, "platform": "Facebook"})
    account = db.session.query(ManagedAccount).one()
    # Gated: no handover before payments are recorded.
    client.post(_kit_url(acme, f"accounts/{account.id}/handed-over"))
    db.session.expire_all()
    assert db.session.get(ManagedAccount, account.id).state == "pending"
    page = client.get(_kit_url(acme)).get_data(as_text=True)
    assert "Accounts can be ticked once payments" in page
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page
    client.post(_kit_url(acme, "payments"), data={"current": "no", "override": ""})
    client.post(_kit_url(acme, f"accounts/{account.id}/handed-over"))
    db.session.expire_all()
    assert db.session.get(ManagedAccount, account.id).state == "pending"
    client.post(_kit_url(acme, "payments"), data={"current": "no", "override": "Owner's own."})
    client.post(_kit_url(acme, f"accounts/{account.id}/handed-over"))
    db.session.expire_all()
    assert db.session.get(ManagedAccount, account.id).state == "handed_over"
    # The report draft is generated from what Candor knows, then edited.
    draft = client.get(_kit_url(acme)).get_data(as_text=True)
    assert "Closing report: Client &lt;b&gt;Bold&lt;/b&gt; AS" in draft
    client.post(
        _kit_url(acme, "report"), data={"work_done": HOSTILE, "report": "Report " + HOSTILE}
    )
    client.post(_kit_url(acme, "reason"), data={"reason": "You did not pay. " + HOSTILE})
    client.post(_kit_url(acme, "status"), data={"final_status": "ended_unpaid"})
    assert client.post(_kit_url(acme, "complete")).status_code == 302
    closing = db.session.query(ClosingRecord).one()
    assert closing.sequence == decision.sequence + 1
    assert verify_archive().ok
    printed = client.get(_kit_url(acme, "report/print"))
    text = printed.get_data(as_text=True)
    assert printed.status_code == 200
    assert "Report &lt;script&gt;" in text and "<script>alert(1)" not in text
    assert f"Sealed in the archive as record {closing.sequence}" in text
    assert "style=" not in text and "<script" not in text.replace("&lt;script", "")
    client_page = client.get(f"/clients/{acme.id}").get_data(as_text=True)
    assert "the closing report is sealed in the archive" in client_page


def test_the_report_redraft_quotes_the_work_done(client, login, decided):
    lead, members, acme, decision = decided
    login(client, lead)
    client.post(_kit_url(acme, "open"))
    client.post(
        _kit_url(acme, "report"),
        data={"work_done": "Two campaigns, 40 % more leads.", "report": "", "regenerate": "1"},
    )
    kit = db.session.query(OffboardingKit).one()
    assert "Two campaigns, 40 % more leads." in kit.report_text
    assert "Period of the collaboration" in kit.report_text


@pytest.mark.parametrize(
    "path, data, message",
    [
        ("accounts", {"name": "", "platform": "X"}, "This field is required"),
        ("accounts", {"name": "x" * 201, "platform": "X"}, "200"),
        ("payments", {"current": "maybe"}, "Not a valid choice"),
        ("payments", {"override": "no choice"}, "Choose yes or no"),
        ("reason", {"reason": ""}, "This field is required"),
        ("reason", {"reason": "x" * 5001}, "5000"),
        ("status", {"final_status": "blacklisted"}, "Not a valid choice"),
        ("report", {"report": "x" * 20001}, "20000"),
    ],
)
def test_bad_kit_input_is_refused_with_a_message(client, login, decided, path, data, message):
    lead, members, acme, decision = decided
    login(client, lead)
    client.post(_kit_url(acme, "open"))
    response = client.post(_kit_url(acme, path), data=data, follow_redirects=True)
    assert message in response.get_data(as_text=True)
    kit = db.session.query(OffboardingKit).one()
    assert (kit.reason_statement, kit.final_status, kit.payments_current) == ("", None, None)
    assert db.session.query(ManagedAccount).count() == 0


def test_completing_too_early_says_what_is_missing(client, login, decided):
    lead, members, acme, decision = decided
    login(client, lead)
    client.post(_kit_url(acme, "open"))
    page = client.post(_kit_url(acme, "complete"), follow_redirects=True).get_data(as_text=True)
    assert "Record whether payments are current." in page
    assert db.session.query(ClosingRecord).count() == 0


def test_an_account_id_of_another_clients_kit_is_404(client, login, decided, make_client):
    lead, members, acme, decision = decided
    other = make_client("Other", actor=lead)
    offboarding.open_kit(acme.id, lead, utcnow())
    offboarding.open_kit(other.id, lead, utcnow())
    foreign = offboarding.add_account(other.id, lead, "Theirs", "Web")
    login(client, lead)
    response = client.post(_kit_url(acme, f"accounts/{foreign.id}/handed-over"))
    assert response.status_code == 404


def test_every_kit_form_needs_its_csrf_token(app, decided):
    lead, members, acme, decision = decided
    offboarding.open_kit(acme.id, lead, utcnow())
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        http = app.test_client()
        token = csrf_token_from(http.get("/auth/login").get_data(as_text=True))
        http.post(
            "/auth/login", data={"email": lead.email, "password": PASSWORD, "csrf_token": token}
        )
        for path, data in (
            ("open", {}),
            ("accounts", {"name": "A", "platform": "B"}),
            ("payments", {"current": "yes"}),
            ("report", {"report": "R"}),
            ("reason", {"reason": "R"}),
            ("status", {"final_status": "ended"}),
            ("complete", {}),
        ):
            assert http.post(_kit_url(acme, path), data=data).status_code == 400, path
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    kit = db.session.query(OffboardingKit).one()
    assert (kit.payments_current, kit.reason_statement, kit.final_status) == (None, "", None)


def test_compare_and_decide_show_the_handling_advice(client, login, review_team):
    from tests import factories as f

    lead, members, outsider, acme = review_team
    review = f.open_review(lead, acme, members)
    for member in members:
        f.submit(review, member, f.full_response(choices={"non_responsive": "No replies."}))
    f.client_answers(review, lead)
    f.close(review, lead)
    login(client, lead)
    handling = f.ensure_catalogue().category("non_responsive").handling
    for url in (f"/reviews/{review.id}/compare", f"/reviews/{review.id}/decide"):
        page = client.get(url).get_data(as_text=True)
        assert "How to handle each category the team chose" in page
        assert all(step.replace("'", "&#39;") in page for step in handling)


def test_the_client_page_shows_advice_and_next_steps_after_a_decision(client, login, decided):
    lead, members, acme, decision = decided
    login(client, lead)
    page = client.get(f"/clients/{acme.id}").get_data(as_text=True)
    assert "Handling advice for the confirmed categories" in page
    assert f"/incidents/{acme.id}/drafts/payment_reminder" in page
    assert f"/incidents/{acme.id}/drafts/reason_statement" in page
    assert f"/offboarding/{acme.id}/" in page
    member = client.application.test_client()
    login(member, members[0])
    member_page = member.get(f"/clients/{acme.id}").get_data(as_text=True)
    assert "Handling advice for the confirmed categories" in member_page
    assert f"/offboarding/{acme.id}/" not in member_page
