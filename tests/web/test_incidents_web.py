"""The incident log, the drafts and the attachment of entries through the browser's eyes
(Flask test client): scoping with swapped ids, bad and hostile input, double submits,
CSRF, and the entries reaching members only after they submitted."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.domain.incidents import EntryInput
from app.extensions import db
from app.models import IncidentEntry, Review, ReviewIncident, utcnow
from app.services import incidents
from tests import factories as f
from tests.helpers import csrf_token_from

HOSTILE = '<script>alert(1)</script>\u202eevil\u200b "quoted" & done'


def _form(**overrides):
    data = {
        "kind": "unanswered_question",
        "occurred_on": (utcnow().date() - timedelta(days=1)).isoformat(),
        "text": "The brief questions of 2 November are still unanswered.",
        "category_key": "",
        "amount": "",
        "currency": "",
        "invoice_ref": "",
    }
    data.update(overrides)
    return data


def test_a_member_records_an_entry_and_sees_it_in_its_log(client, login, review_team):
    lead, members, outsider, acme = review_team
    login(client, members[0])
    response = client.post(f"/incidents/{acme.id}/new", data=_form())
    assert response.status_code == 302
    page = client.get(f"/incidents/{acme.id}/").get_data(as_text=True)
    assert "still unanswered" in page
    assert "You see the entries you recorded yourself" in page


def test_a_double_submit_records_the_entry_once(client, login, review_team):
    lead, members, outsider, acme = review_team
    login(client, members[0])
    client.post(f"/incidents/{acme.id}/new", data=_form())
    client.post(f"/incidents/{acme.id}/new", data=_form())
    assert db.session.query(IncidentEntry).count() == 1


def test_members_never_see_each_others_entries_and_swapped_ids_are_404(
    client, login, review_team, make_client
):
    lead, members, outsider, acme = review_team
    theirs = incidents.record_entry(
        acme.id, members[1], EntryInput("other", utcnow().date(), "Secret of member 1."), utcnow()
    )
    login(client, members[0])
    assert "Secret of member 1" not in client.get(f"/incidents/{acme.id}/").get_data(as_text=True)
    assert client.get(f"/incidents/{acme.id}/{theirs.id}/correct").status_code == 404
    assert client.post(f"/incidents/{acme.id}/{theirs.id}/correct", data=_form()).status_code == 404
    other = make_client("Other", actor=lead)
    assert client.get(f"/incidents/{other.id}/{theirs.id}/correct").status_code == 404
    assert client.get("/incidents/99999/").status_code == 404
    as_lead = client.application.test_client()
    login(as_lead, lead)
    assert "Secret of member 1" in as_lead.get(f"/incidents/{acme.id}/").get_data(as_text=True)


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"text": ""}, "This field is required"),
        ({"occurred_on": ""}, "Give the day it happened"),
        ({"occurred_on": "2026-13-45"}, "Not a valid date value"),
        ({"occurred_on": "1999-01-01"}, "before the year 2000"),
        ({"occurred_on": (utcnow().date() + timedelta(days=3)).isoformat()}, "in the future"),
        ({"kind": "late_payment"}, "Give the amount"),
        ({"kind": "late_payment", "amount": "99999999999999"}, "at most two decimals"),
        ({"kind": "late_payment", "amount": "10000000000.01"}, "at most 10 billion"),
        ({"kind": "late_payment", "amount": "-5"}, "at most two decimals"),
        ({"kind": "late_payment", "amount": "1e9"}, "at most two decimals"),
        ({"kind": "message_sent"}, "Not a valid choice"),
        ({"text": "x" * 5001}, "5000"),
        ({"category_key": "nope"}, "Not a valid choice"),
    ],
)
def test_bad_input_is_refused_with_a_message(client, login, review_team, overrides, message):
    lead, members, outsider, acme = review_team
    login(client, lead)
    response = client.post(f"/incidents/{acme.id}/new", data=_form(**overrides))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.query(IncidentEntry).count() == 0


def test_a_payment_entry_keeps_amount_and_invoice(client, login, review_team):
    lead, members, outsider, acme = review_team
    login(client, lead)
    data = _form(kind="late_payment", amount="1 250,50", currency="eur", invoice_ref="INV-7")
    assert client.post(f"/incidents/{acme.id}/new", data=data).status_code == 302
    entry = db.session.query(IncidentEntry).one()
    assert (entry.amount_minor, entry.currency, entry.invoice_ref) == (125050, "EUR", "INV-7")
    assert "1,250.50 EUR" in client.get(f"/incidents/{acme.id}/").get_data(as_text=True)


def test_hostile_text_is_escaped_in_the_log_and_the_correction_form(client, login, review_team):
    lead, members, outsider, acme = review_team
    login(client, lead)
    client.post(f"/incidents/{acme.id}/new", data=_form(text=HOSTILE, invoice_ref="<i>x</i>"))
    entry = db.session.query(IncidentEntry).one()
    for url in (f"/incidents/{acme.id}/", f"/incidents/{acme.id}/{entry.id}/correct"):
        page = client.get(url).get_data(as_text=True)
        assert "<script>alert(1)" not in page and "&lt;script&gt;" in page
        assert "<bdi>" in page


def test_a_correction_keeps_the_original_in_the_log(client, login, review_team):
    lead, members, outsider, acme = review_team
    login(client, members[0])
    client.post(f"/incidents/{acme.id}/new", data=_form(text="On the 2nd."))
    original = db.session.query(IncidentEntry).one()
    response = client.post(
        f"/incidents/{acme.id}/{original.id}/correct", data=_form(text="On the 3rd.")
    )
    assert response.status_code == 302
    page = client.get(f"/incidents/{acme.id}/").get_data(as_text=True)
    assert "On the 2nd." in page and "On the 3rd." in page
    assert f"corrects entry #{original.id}" in page


@pytest.fixture
def csrf_client(app):
    app.config["WTF_CSRF_ENABLED"] = True
    yield app.test_client()
    app.config["WTF_CSRF_ENABLED"] = False


def test_every_incident_form_needs_its_csrf_token(csrf_client, login, review_team):
    lead, members, outsider, acme = review_team
    page = csrf_client.get("/auth/login").get_data(as_text=True)
    from tests.helpers import PASSWORD

    csrf_client.post(
        "/auth/login",
        data={"email": lead.email, "password": PASSWORD, "csrf_token": csrf_token_from(page)},
    )
    entry = incidents.record_entry(
        acme.id, lead, EntryInput("other", utcnow().date(), "Original."), utcnow()
    )
    for url, data in (
        (f"/incidents/{acme.id}/new", _form()),
        (f"/incidents/{acme.id}/{entry.id}/correct", _form(text="Fixed.")),
        (f"/incidents/{acme.id}/drafts/need_answers", {"text": "Hi", "mark_sent": "1"}),
    ):
        assert csrf_client.post(url, data=data).status_code == 400
    assert db.session.query(IncidentEntry).count() == 1
    token = csrf_token_from(csrf_client.get(f"/incidents/{acme.id}/new").get_data(as_text=True))
    ok = csrf_client.post(f"/incidents/{acme.id}/new", data={**_form(), "csrf_token": token})
    assert ok.status_code == 302


def test_drafts_are_for_leads_and_marking_sent_logs_an_entry(client, login, review_team):
    lead, members, outsider, acme = review_team
    member = client.application.test_client()
    login(member, members[0])
    assert member.get(f"/incidents/{acme.id}/drafts/payment_reminder").status_code == 403
    login(client, lead)
    assert client.get(f"/incidents/{acme.id}/drafts/no_such_draft").status_code == 404
    page = client.get(f"/incidents/{acme.id}/drafts/need_answers").get_data(as_text=True)
    assert "we need your answers" in page.lower() or "need your answers" in page
    response = client.post(
        f"/incidents/{acme.id}/drafts/need_answers",
        data={"text": "Dear Pat, " + HOSTILE, "mark_sent": "1"},
    )
    assert response.status_code == 302
    entry = db.session.query(IncidentEntry).one()
    assert entry.kind == "message_sent" and entry.draft_key == "need_answers"
    log = client.get(f"/incidents/{acme.id}/").get_data(as_text=True)
    assert "Message sent to the client" in log and "<script>alert(1)" not in log


def test_a_draft_quotes_the_logged_payment_and_escapes_the_client_name(client, login, review_team):
    lead, members, outsider, acme = review_team  # the client is called "Client <b>Bold</b> AS"
    incidents.record_entry(
        acme.id,
        lead,
        EntryInput(
            "late_payment",
            utcnow().date(),
            "Unpaid.",
            amount_minor=99900,
            currency="DKK",
            invoice_ref="<b>INV-9</b>",
        ),
        utcnow(),
    )
    login(client, lead)
    page = client.get(f"/incidents/{acme.id}/drafts/payment_reminder").get_data(as_text=True)
    assert "999.00 DKK" in page and "&lt;b&gt;INV-9&lt;/b&gt;" in page
    assert "<b>INV-9</b>" not in page and "<b>Bold</b>" not in page


def test_send_is_refused_without_smtp_and_logs_nothing(client, login, review_team):
    lead, members, outsider, acme = review_team
    login(client, lead)
    page = client.get(f"/incidents/{acme.id}/drafts/work_paused").get_data(as_text=True)
    assert "Send by e-mail" not in page
    response = client.post(
        f"/incidents/{acme.id}/drafts/work_paused", data={"text": "Paused.", "send": "1"}
    )
    assert response.status_code == 400
    assert db.session.query(IncidentEntry).count() == 0


def test_send_with_smtp_mails_the_edited_text_then_logs_it(
    app, client, login, review_team, monkeypatch
):
    lead, members, outsider, acme = review_team
    sent = []
    monkeypatch.setattr(
        "app.services.mail.send", lambda to, subject, body: sent.append((to, subject, body))
    )
    app.config["SMTP_HOST"] = "smtp.invalid"
    try:
        login(client, lead)
        response = client.post(
            f"/incidents/{acme.id}/drafts/work_paused", data={"text": "Edited.", "send": "1"}
        )
    finally:
        app.config["SMTP_HOST"] = ""
    assert response.status_code == 302
    assert sent == [("pat@client.example", "Work paused until payment", "Edited.")]
    assert db.session.query(IncidentEntry).one().kind == "message_sent"


def _open_with(client, lead, members, acme, entry_ids):
    return client.post(
        "/reviews/new",
        data={
            "client": str(acme.id),
            "conflict": "A conflict.",
            "participants": [str(m.id) for m in members],
            "deadline": (utcnow() + timedelta(days=7)).date().isoformat(),
            "quorum": str(len(members)),
            "complexity_floor": "3",
            "incident_ids": [str(i) for i in entry_ids],
        },
    )


def test_entries_attached_at_opening_reach_a_member_only_after_submitting(
    client, login, review_team
):
    lead, members, outsider, acme = review_team
    entry = incidents.record_entry(
        acme.id, lead, EntryInput("out_of_hours", utcnow().date(), "Called at 23:40."), utcnow()
    )
    login(client, lead)
    form_page = client.get(f"/reviews/new?client={acme.id}").get_data(as_text=True)
    assert "Called at 23:40." in form_page and 'name="incident_ids"' in form_page
    response = _open_with(client, lead, members, acme, [entry.id])
    assert response.status_code == 302
    review_id = db.session.query(ReviewIncident).one().review_id
    assert "Called at 23:40." in client.get(f"/reviews/{review_id}").get_data(as_text=True)
    first, second = (client.application.test_client() for _ in range(2))
    login(first, members[0])
    login(second, members[1])
    assert "Called at 23:40." not in first.get(f"/reviews/{review_id}").get_data(as_text=True)
    f.submit(db.session.get(Review, review_id), members[0])
    assert "Called at 23:40." in first.get(f"/reviews/{review_id}").get_data(as_text=True)
    assert "Called at 23:40." not in second.get(f"/reviews/{review_id}").get_data(as_text=True)


def test_a_forged_entry_id_of_another_client_is_refused_at_opening(
    client, login, review_team, make_client
):
    lead, members, outsider, acme = review_team
    other = make_client("Other", actor=lead)
    foreign = incidents.record_entry(
        other.id, lead, EntryInput("other", utcnow().date(), "Elsewhere."), utcnow()
    )
    login(client, lead)
    response = _open_with(client, lead, members, acme, [foreign.id])
    assert response.status_code == 400
    assert db.session.query(ReviewIncident).count() == 0


def test_sealed_entries_are_escaped_on_the_archive_page_and_its_print_view(
    client, login, review_team
):
    from tests.archive_factory import at

    lead, members, outsider, acme = review_team
    entry = incidents.record_entry(
        acme.id, lead, EntryInput("other", utcnow().date(), HOSTILE), utcnow()
    )
    now = utcnow()
    from app.services import review_opening

    review_opening.open_review(
        lead,
        acme.id,
        "A conflict.",
        [m.id for m in members],
        now + timedelta(days=7),
        3,
        now,
        incident_ids=[entry.id],
    )
    review = db.session.query(Review).one()
    for member in members:
        f.submit(review, member)
    f.client_answers(review, lead)
    f.close(review, lead)
    from app.services import decisions
    from app.services.decisions import DecisionInput

    decision = decisions.decide_review(
        review.id, lead, DecisionInput({}, "Done."), at("2026-11-01")
    )
    login(client, lead)
    for url in (f"/archive/{decision.id}", f"/archive/{decision.id}/print"):
        page = client.get(url).get_data(as_text=True)
        assert "Documented incidents sealed with this decision" in page, url
        assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page


def test_a_draft_is_written_in_the_clients_language_whatever_the_leads(client, login, review_team):
    from flask_babel import force_locale, gettext

    from app.models import Client

    lead, members, outsider, acme = review_team
    db.session.get(Client, acme.id).language = "hu"
    db.session.commit()
    login(client, lead)  # the lead reads English pages
    page = client.get(f"/incidents/{acme.id}/drafts/need_answers").get_data(as_text=True)
    with client.application.test_request_context(), force_locale("hu"):
        hungarian = gettext(
            "Thank you for working with us. To keep your project on schedule we need your "
            "answers to the questions we sent you."
        )
    assert '<html lang="en">' in page
    assert hungarian in page.replace("&#39;", "'")
    assert "Thank you for working with us." not in page
