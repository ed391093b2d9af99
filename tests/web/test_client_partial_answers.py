"""The client may skip what it cannot judge, sees what it answered before sending, and only
"Send my answers" on the check step spends the link (the lead's side, and what the
comparison says of the view's source: test_client_view_recorded.py)."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest

from app.extensions import db
from app.models import AuditEvent, ClientAnswerRow, ClientLink, ClientResponseRow, utcnow
from app.services import client_links
from tests.helpers import csrf_token_from
from tests.web.client_view_helpers import (
    SKIP,
    check_answers,
    fingerprint,
    keys,
    partial,
    send_answers,
    stored_nothing,
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
