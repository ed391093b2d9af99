"""The lead records the client's view only if the lead did not rate the team, records
only what the client stated, and the comparison says where the client's view came from."""

from __future__ import annotations

import pytest
from babel.dates import format_date

from app.extensions import db
from app.models import AuditEvent, ClientResponseRow, utcnow
from app.services import client_links
from tests import factories as f
from tests.web.client_view_helpers import SKIP, keys, partial, send_answers

# --- the lead records the client's view --------------------------------------------------


def _record(http, review, data):
    return http.post(f"/reviews/{review.id}/client-view", data=data)


def test_a_lead_who_did_not_answer_records_only_what_the_client_stated(
    client, login, review_team, review, catalogue
):
    lead = review_team[0]
    login(client, lead)
    page = client.get(f"/reviews/{review.id}/client-view").get_data(as_text=True)
    assert page.count("> Not stated</label>") == len(catalogue.dimensions)
    assert '"None"' not in page
    k = keys(catalogue)
    data = {
        f"rating__{k[0]}": "2",
        f"rating__{k[1]}": SKIP,  # "Not stated"
        f"rating__{k[2]}": "5",
        f"comment__{k[2]}": "Said so on the phone.",
        "source_quote": "E-mail of 3 March: 'the invoices were always right'",
    }
    response = _record(client, review, data)
    assert response.status_code == 302
    stored = db.session.query(ClientResponseRow).one()
    assert stored.source == "lead" and stored.recorded_by_id == lead.id
    assert {a.dimension_key: a.rating for a in stored.answers} == {k[0]: 2, k[2]: 5}


def test_a_lead_who_answered_the_review_may_not_record_the_clients_view(
    client, login, review_team, catalogue
):
    lead, members, _, agency_client = review_team
    review = f.open_review(lead, agency_client, [*members, lead])
    f.submit(review, lead)
    login(client, lead)
    shown = client.get(f"/reviews/{review.id}/client-view")
    assert shown.status_code == 403
    text = shown.get_data(as_text=True)
    assert "you cannot also record the client&#39;s view" in text
    assert 'name="source_quote"' not in text  # no form to fill in vain
    refused = _record(
        client,
        review,
        {f"rating__{keys(catalogue)[0]}": "4", "source_quote": "E-mail of 3 March: 'fine'"},
    )
    assert refused.status_code == 403
    text = refused.get_data(as_text=True)
    assert "you cannot also record the client&#39;s view" in text and "Nothing was saved." in text
    assert db.session.query(ClientResponseRow).count() == 0
    assert (
        db.session.query(AuditEvent).filter_by(action="client_view.recorded_by_lead").count() == 0
    )


def test_an_admin_who_answered_is_refused_and_one_who_did_not_may_record(
    client, login, review_team, make_user, catalogue
):
    lead, members, _, agency_client = review_team
    answering_admin = make_user("admin")
    other_admin = make_user("admin")
    review = f.open_review(lead, agency_client, [*members, answering_admin])
    f.submit(review, answering_admin)
    data = {f"rating__{keys(catalogue)[0]}": "4", "source_quote": "Call notes of 4 March."}
    login(client, answering_admin)
    assert _record(client, review, data).status_code == 403
    client.post("/auth/logout")
    login(client, other_admin)
    assert _record(client, review, data).status_code == 302
    assert db.session.query(ClientResponseRow).one().recorded_by_id == other_admin.id


def test_a_lead_who_takes_part_but_has_not_submitted_may_record(
    client, login, review_team, catalogue
):
    lead, members, _, agency_client = review_team
    review = f.open_review(lead, agency_client, [*members, lead])
    login(client, lead)
    data = {f"rating__{keys(catalogue)[0]}": "4", "source_quote": "E-mail of 3 March."}
    assert _record(client, review, data).status_code == 302


@pytest.mark.parametrize(
    "data, message",
    [
        ({"source_quote": "E-mail of 3 March."}, "Please answer at least one question."),
        (
            {"source_quote": "E-mail.", "rating__honesty": SKIP},
            "Please answer at least one question.",
        ),
        ({"rating__honesty": "4"}, "This field is required."),
        ({"rating__honesty": "4", "source_quote": "   "}, "This field is required."),
        ({"rating__honesty": "0", "source_quote": "E-mail."}, "Choose a value from 1 to 5."),
        ({"rating__honesty": "6", "source_quote": "E-mail."}, "Choose a value from 1 to 5."),
        ({"rating__honesty": "four", "source_quote": "E-mail."}, "Invalid Choice"),
        ({"rating__honesty": "4", "source_quote": "x" * 5001}, "At most 5000 characters."),
        (
            {"rating__honesty": SKIP, "comment__honesty": "x", "source_quote": "E-mail."},
            "A comment is kept only with an answer.",
        ),
    ],
)
def test_bad_recorded_views_are_refused_and_save_nothing(
    client, login, review_team, review, catalogue, data, message
):
    login(client, review_team[0])
    response = _record(client, review, data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.query(ClientResponseRow).count() == 0


# --- the comparison says where the client's view came from --------------------------------


def _close_with_members(review, review_team):
    lead, members, _, _ = review_team
    for m in members:
        f.submit(review, m)
    f.close(review, lead)


def test_the_comparison_says_the_client_gave_its_view_through_the_link(
    client, login, review_team, review, catalogue, token
):
    assert send_answers(client, token, partial(catalogue)).status_code == 302
    _close_with_members(review, review_team)
    stored = db.session.query(ClientResponseRow).one()
    login(client, review_team[1][0])  # a member sees it too
    page = client.get(f"/reviews/{review.id}/compare").get_data(as_text=True)
    when = format_date(stored.submitted_at, "medium", locale="en")
    when += stored.submitted_at.strftime(" %H:%M UTC")
    assert f"Given by the client through its private link on {when}." in page
    assert "Recorded by" not in page


def test_the_comparison_names_who_recorded_the_view_and_quotes_the_source_escaped(
    client, login, review_team, make_user, catalogue
):
    lead, members, _, agency_client = review_team
    recorder = make_user("admin", name="Ada <b>Admin</b>")
    review = f.open_review(lead, agency_client, members)
    quote = "E-mail of 3 March:\n<script>alert('q')</script> \u202eevil"
    client_links.record_client_view(
        review.id, recorder, {keys(catalogue)[0]: 2}, {}, quote, utcnow()
    )
    _close_with_members(review, review_team)
    stored = db.session.query(ClientResponseRow).one()
    login(client, lead)
    page = client.get(f"/reviews/{review.id}/compare").get_data(as_text=True)
    when = format_date(stored.submitted_at, "medium", locale="en")
    when += stored.submitted_at.strftime(" %H:%M UTC")
    assert (
        f"Recorded by Ada &lt;b&gt;Admin&lt;/b&gt; from the client's own messages on {when}."
        in page
    )
    assert "<script>alert('q')" not in page and "<b>Admin</b>" not in page
    head = page.split('<dl class="facts">', 1)[0]
    assert "<bdi>E-mail of 3 March:\n&lt;script&gt;alert(&#39;q&#39;)&lt;/script&gt;" in head


def test_recording_on_a_closed_review_is_refused_in_words(
    client, login, review_team, review, catalogue
):
    _close_with_members(review, review_team)
    login(client, review_team[0])
    data = {f"rating__{keys(catalogue)[0]}": "4", "source_quote": "E-mail of 3 March."}
    response = _record(client, review, data)
    assert response.status_code == 400
    assert "This review is closed" in response.get_data(as_text=True)
    assert db.session.query(ClientResponseRow).count() == 0
