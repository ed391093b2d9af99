"""The client may skip what it cannot judge, sees what it answered before sending, and only
"Send my answers" on the check step spends the link. The lead records the client's view
only if the lead did not rate the team, and the comparison says where the view came from."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from babel.dates import format_date

from app.extensions import db
from app.models import AuditEvent, ClientAnswerRow, ClientLink, ClientResponseRow, utcnow
from app.services import client_links
from tests import factories as f
from tests.helpers import csrf_token_from
from tests.web.client_view_helpers import check_answers, fingerprint, send_answers

SKIP = "skip"


@pytest.fixture
def catalogue():
    return f.ensure_catalogue()


@pytest.fixture
def review(review_team):
    lead, members, _, agency_client = review_team
    return f.open_review(lead, agency_client, members)


@pytest.fixture
def token(review_team, review):
    _, token = client_links.issue_link(review.id, review_team[0], utcnow(), send_email=False)
    return token


def keys(catalogue) -> list[str]:
    return [d.key for d in catalogue.dimensions]


def partial(catalogue, answered=3, skipped=2) -> dict[str, str]:
    """The first `answered` statements rated, the next `skipped` explicitly skipped, the
    rest left untouched."""
    k = keys(catalogue)
    data = {f"rating__{key}": str(2 + n % 3) for n, key in enumerate(k[:answered])}
    data.update({f"rating__{key}": SKIP for key in k[answered : answered + skipped]})
    return data


def stored_nothing(link_used: bool = False) -> bool:
    db.session.expire_all()
    link = db.session.query(ClientLink).one()
    return (
        db.session.query(ClientResponseRow).count() == 0
        and db.session.query(ClientAnswerRow).count() == 0
        and (link.used_at is not None) == link_used
    )


# --- the client's page -----------------------------------------------------------------


def test_every_statement_offers_an_explicit_i_cant_judge_this(client, catalogue, token):
    page = client.get(f"/respond/{token}").get_data(as_text=True)
    for key in keys(catalogue):
        assert re.search(rf'name="rating__{key}" type="radio" value="skip"', page), key
    assert page.count("> I can't judge this</label>") == len(catalogue.dimensions)
    # Nothing is chosen for the client, skipping included: every choice is deliberate.
    assert "<input checked" not in page
    # No attribute is rendered with a Python None (screen readers read it as "invalid").
    assert '"None"' not in page
    # The only button on the answer page leads to the check step.
    assert re.findall(r'type="submit" value="([^"]+)"', page) == ["Check my answers"]


def test_the_first_post_shows_the_count_and_skipped_statements_and_stores_nothing(
    client, catalogue, token
):
    data = {**partial(catalogue, answered=3, skipped=2), "comment": "Mostly fine."}
    response = check_answers(client, token, data)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    total = len(catalogue.dimensions)
    assert (
        f"You answered 3 of {total} statements; the {total - 3} statements you skipped "
        "count as “cannot judge”." in page
    )
    skipped_list = page.split('id="skipped"', 1)[1].split("</ul>", 1)[0]
    for n, d in enumerate(catalogue.dimensions[3:], start=4):  # skipped and untouched alike
        assert f"<strong>Statement {n} of {total}:</strong> {d.client_statement}" in skipped_list
    for d in catalogue.dimensions[:3]:
        assert d.client_statement not in skipped_list
    # The client reads numbered statements, never the agency's names for its categories.
    assert all(d.title not in page for d in catalogue.dimensions)
    # The answers travel on in the form, and sending is a separate, explicit button.
    for name, value in data.items():
        assert f'name="{name}" value="{value}"' in page
    assert 'name="send" type="submit" value="Send my answers"' in page
    assert 'name="change" type="submit" value="Change my answers"' in page
    assert "Nothing has been sent yet." in page
    assert stored_nothing()


def test_every_statement_answered_says_so(client, catalogue, token):
    data = {f"rating__{key}": "4" for key in keys(catalogue)}
    page = check_answers(client, token, data).get_data(as_text=True)
    assert f"You answered all {len(catalogue.dimensions)} statements." in page
    assert 'id="skipped"' not in page
    assert stored_nothing()


@pytest.mark.parametrize(
    "button",
    [
        {},  # Enter in a radio with no button named: the browser sends the default one
        {"check": "Check my answers"},  # what Enter sends: the page's only submit button
        {"send": "Send my answers"},  # a forged one-step send without the check's fingerprint
        {"send": "1", "checked": "0" * 64},  # a made-up fingerprint
        {"send": "1", "checked": "<script>"},
    ],
)
def test_no_first_post_sends_the_answers(client, catalogue, token, button):
    response = client.post(f"/respond/{token}", data={**partial(catalogue), **button})
    assert response.status_code == 200
    assert "Check your answers before sending" in response.get_data(as_text=True)
    assert stored_nothing()


def test_sending_stores_only_the_answered_statements_and_spends_the_link(client, catalogue, token):
    data = partial(catalogue, answered=3, skipped=2)
    data[f"comment__{keys(catalogue)[0]}"] = "On time, every time."
    response = send_answers(client, token, data)
    assert response.status_code == 302 and response.headers["Location"] == "/respond/thanks"
    stored = db.session.query(ClientResponseRow).one()
    ratings = {a.dimension_key: a.rating for a in stored.answers}
    assert ratings == {key: int(data[f"rating__{key}"]) for key in keys(catalogue)[:3]}
    skipped = set(keys(catalogue)) - set(ratings)
    assert (
        db.session.query(ClientAnswerRow).filter(ClientAnswerRow.dimension_key.in_(skipped)).count()
        == 0
    )
    assert stored.answers[0].comment == "On time, every time."
    assert db.session.query(ClientLink).one().used_at is not None
    event = db.session.query(AuditEvent).filter_by(action="client_view.submitted").one()
    assert json.loads(event.details)["answers"] == 3


def test_one_answer_is_enough(client, catalogue, token):
    data = {f"rating__{key}": SKIP for key in keys(catalogue)}
    data[f"rating__{keys(catalogue)[-1]}"] = "1"
    assert send_answers(client, token, data).status_code == 302
    assert [a.dimension_key for a in db.session.query(ClientAnswerRow).all()] == [
        keys(catalogue)[-1]
    ]


@pytest.mark.parametrize("how", ["all skipped", "all untouched", "nothing at all"])
def test_skipping_every_statement_is_refused_with_a_message(client, catalogue, token, how):
    data = {
        "all skipped": {f"rating__{key}": SKIP for key in keys(catalogue)},
        "all untouched": {f"rating__{key}": "" for key in keys(catalogue)},
        "nothing at all": {},
    }[how]
    for extra in ({}, {"send": "1", "checked": "0" * 64}):
        response = client.post(f"/respond/{token}", data={**data, **extra, "comment": "Hm."})
        assert response.status_code == 400
        page = response.get_data(as_text=True)
        assert "Please answer at least one question." in page
        assert "How did we work for you?" in page  # back on the answer form, not the check
    assert stored_nothing()


def test_change_my_answers_returns_to_the_form_with_the_answers_kept(client, catalogue, token):
    k = keys(catalogue)
    data = {f"rating__{k[0]}": "5", f"rating__{k[1]}": SKIP, f"comment__{k[0]}": "Great & fast"}
    checked = check_answers(client, token, data)
    back = client.post(
        f"/respond/{token}", data={**data, "checked": fingerprint(checked), "change": "1"}
    )
    assert back.status_code == 200
    page = back.get_data(as_text=True)
    assert "How did we work for you?" in page
    assert re.search(
        rf'checked id="rating__{k[0]}-\d" name="rating__{k[0]}" type="radio" value="5"', page
    )
    assert re.search(
        rf'checked id="rating__{k[1]}-\d" name="rating__{k[1]}" type="radio" value="skip"', page
    )
    assert "Great &amp; fast" in page
    assert stored_nothing()


def test_answers_changed_after_the_check_are_checked_again(client, catalogue, token):
    k = keys(catalogue)
    checked = check_answers(client, token, {f"rating__{k[0]}": "5"})
    response = client.post(
        f"/respond/{token}",
        data={f"rating__{k[0]}": "1", "checked": fingerprint(checked), "send": "1"},
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Your answers changed since you last checked them." in page
    assert stored_nothing()
    # The new fingerprint covers the new answers, and sends them.
    sent = client.post(
        f"/respond/{token}",
        data={f"rating__{k[0]}": "1", "checked": fingerprint(response), "send": "1"},
    )
    assert sent.status_code == 302
    assert db.session.query(ClientAnswerRow).one().rating == 1


def test_a_fingerprint_is_bound_to_its_link(client, login, review_team, review, catalogue):
    lead = review_team[0]
    _, first = client_links.issue_link(review.id, lead, utcnow(), send_email=False)
    data = partial(catalogue)
    checked = check_answers(client, first, data)
    # The first link's fingerprint, carried to a newer link (which revoked the first).
    _, second = client_links.issue_link(review.id, lead, utcnow(), send_email=False)
    response = client.post(
        f"/respond/{second}", data={**data, "checked": fingerprint(checked), "send": "1"}
    )
    assert response.status_code == 200 and db.session.query(ClientResponseRow).count() == 0


def test_a_comment_on_a_skipped_statement_is_refused_rather_than_lost(client, catalogue, token):
    k = keys(catalogue)
    data = {f"rating__{k[0]}": "4", f"rating__{k[1]}": SKIP, f"comment__{k[1]}": "No idea, sorry."}
    response = check_answers(client, token, data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "A comment is kept only with an answer." in page
    assert 'aria-invalid="true"' in page
    assert stored_nothing()


def test_a_double_send_stores_once_and_the_second_says_the_answers_were_received(
    app, client, catalogue, token
):
    data = partial(catalogue)
    checked = check_answers(client, token, data)
    final = {**data, "checked": fingerprint(checked), "send": "1"}
    assert client.post(f"/respond/{token}", data=final).status_code == 302
    again = client.post(f"/respond/{token}", data=final)
    assert again.status_code == 200 and b"Your answers were received" in again.data
    # Another browser replaying the same form gets the polite page, as for any used link.
    elsewhere = app.test_client().post(f"/respond/{token}", data=final)
    assert elsewhere.status_code == 404 and b"This link is no longer valid" in elsewhere.data
    assert db.session.query(ClientResponseRow).count() == 1
    assert db.session.query(ClientAnswerRow).count() == 3
    assert db.session.query(AuditEvent).filter_by(action="client_view.submitted").count() == 1


@pytest.mark.parametrize(
    "value", ["0", "6", "-1", "abc", "1.5", "4 ", "99999999999999999999", "1e309", "\u200b4"]
)
def test_out_of_range_or_non_numeric_ratings_are_refused_on_the_form(
    client, catalogue, token, value
):
    k = keys(catalogue)
    data = {f"rating__{k[0]}": "4", f"rating__{k[1]}": value}
    for extra in ({}, {"send": "1", "checked": "0" * 64}):
        response = client.post(f"/respond/{token}", data={**data, **extra})
        # "4 " is a whole number with a space; Python reads it as 4, which is in range.
        assert response.status_code == (200 if value == "4 " else 400), value
    assert stored_nothing()


def test_huge_comments_are_refused(client, catalogue, token):
    k = keys(catalogue)
    for data in (
        {f"rating__{k[0]}": "4", f"comment__{k[0]}": "x" * 2001},
        {f"rating__{k[0]}": "4", "comment": "x" * 2001},
    ):
        assert check_answers(client, token, data).status_code == 400
    assert stored_nothing()


def test_html_and_bidi_text_is_escaped_and_isolated_on_the_check_step(client, catalogue, token):
    k = keys(catalogue)
    hostile = "<script>alert(1)</script>\u202e\u200b<img src=x onerror=alert(2)>"
    data = {f"rating__{k[0]}": "3", f"comment__{k[0]}": hostile, "comment": hostile}
    page = check_answers(client, token, data).get_data(as_text=True)
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert page.count("<bdi>&lt;script&gt;") == 2  # shown back isolated from the page's text
    sent = send_answers(client, token, data)
    assert sent.status_code == 302
    stored = db.session.query(ClientResponseRow).one()
    assert stored.comment == hostile and stored.answers[0].comment == hostile


def test_used_expired_and_forged_tokens_get_the_polite_page_on_every_step(
    client, catalogue, review_team, review, token
):
    data = partial(catalogue)
    checked = check_answers(client, token, data)
    link = db.session.query(ClientLink).one()
    link.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    for extra in ({}, {"change": "1"}, {"send": "1", "checked": fingerprint(checked)}):
        for bad in (token, token[:-1], "forged-token", "x" * 500):
            response = client.post(f"/respond/{bad}", data={**data, **extra})
            assert response.status_code == 404 and b"This link is no longer valid" in response.data
    assert stored_nothing()


@pytest.fixture
def csrf_client(app):
    app.config["WTF_CSRF_ENABLED"] = True
    yield app.test_client()
    app.config["WTF_CSRF_ENABLED"] = False


def test_csrf_stays_on_for_both_steps(csrf_client, catalogue, token):
    url = f"/respond/{token}"
    data = partial(catalogue)
    csrf = csrf_token_from(csrf_client.get(url).get_data(as_text=True))
    assert csrf_client.post(url, data=data).status_code == 400
    checked = csrf_client.post(url, data={**data, "csrf_token": csrf})
    assert checked.status_code == 200
    page = checked.get_data(as_text=True)
    final = {**data, "checked": fingerprint(checked), "send": "1"}
    assert csrf_client.post(url, data=final).status_code == 400
    assert stored_nothing()
    sent = csrf_client.post(url, data={**final, "csrf_token": csrf_token_from(page)})
    assert sent.status_code == 302
    assert db.session.query(ClientAnswerRow).count() == 3


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
