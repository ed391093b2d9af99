"""A verdict's details list the members named overconfident one row each, at most ten:
the widest over-ratings first, the surest among equals, then in counting order, and a
row that counts the rest. The sentence above the details still names every member, and
a team of ten or fewer sees each of its rows."""

from __future__ import annotations

import re

import pytest

from app.extensions import db
from app.models import Decision
from app.template_helpers import MEMBER_ROWS_SHOWN
from tests import factories as f
from tests.web.conftest import CONFIRM_STEP

# Thirteen members: (rating, confidence) on the linked question; the client rates it 1.
TEAM = [(5, 100), (5, 90), (5, 90), (4, 100), (4, 100), (4, 90)] + [(3, 90)] * 7
MORE = {
    "en": "…and 3 more ratings by named members",
    "da": "…og 3 vurderinger mere fra nævnte medlemmer",
    "hu": "…és még 3 értékelés megnevezett tagoktól",
}
ROW = re.compile(r"<tr><td>(Member [A-Z]) on “[^”]*”: rated (\d), the client 1, (\d+) % sure")


def _closed(make_user, make_client, answers):
    f.ensure_catalogue()
    lead = make_user("lead")
    members = [make_user("member") for _ in answers]
    review, labels = f.closed_on_followup(lead, make_client(actor=lead), members, answers, 1)
    return lead, review, labels


def _expected_order(labels, answers):
    """Widest over the client first, then surest, then A to Z."""
    ranked = sorted(zip(labels, answers, strict=True), key=lambda x: (-x[1][0], -x[1][1], x[0]))
    return [(label, str(rating), str(confidence)) for label, (rating, confidence) in ranked]


def test_a_big_team_sees_the_ten_widest_rows_and_a_count_of_the_rest(
    client, login, make_user, make_client
):
    lead, review, labels = _closed(make_user, make_client, TEAM)
    login(client, lead)
    expected = _expected_order(labels, TEAM)
    text = client.get(f"/reviews/{review.id}/compare").get_data(as_text=True)
    assert ROW.findall(text) == expected[:MEMBER_ROWS_SHOWN]
    assert text.count(MORE["en"]) == 1
    # The sentence names all thirteen, the three without a row included.
    sentence = text.split("Sure of themselves and well above the client:")[1].split(".")[0]
    assert sorted(re.findall(r"Member [A-Z]", sentence)) == sorted(labels)


@pytest.mark.parametrize("language", ["da", "hu"])
def test_the_count_of_the_rest_is_in_the_readers_language(
    client, login, make_user, make_client, language
):
    lead, review, _labels = _closed(make_user, make_client, TEAM)
    login(client, lead)
    headers = {"Accept-Language": language}
    text = client.get(f"/reviews/{review.id}/compare", headers=headers).get_data(as_text=True)
    assert MORE[language] in text
    assert MORE["en"] not in text


def test_a_team_of_ten_sees_every_row_and_no_count(client, login, make_user, make_client):
    answers = TEAM[:MEMBER_ROWS_SHOWN]
    lead, review, labels = _closed(make_user, make_client, answers)
    login(client, lead)
    text = client.get(f"/reviews/{review.id}/compare").get_data(as_text=True)
    assert ROW.findall(text) == _expected_order(labels, answers)
    assert "more rating" not in text


def test_the_decided_page_and_the_record_keep_every_member(client, login, make_user, make_client):
    """Only the pages are shorter: the sealed record holds all thirteen."""
    lead, review, labels = _closed(make_user, make_client, TEAM)
    login(client, lead)
    data = {"outcome__eternal_debtor": "not_confirmed", "rationale": "Not sure.", **CONFIRM_STEP}
    assert client.post(f"/reviews/{review.id}/decide", data=data).status_code == 302
    decision = db.session.query(Decision).one()
    for page in (f"/reviews/{review.id}/compare", f"/archive/{decision.id}"):
        text = client.get(page).get_data(as_text=True)
        assert ROW.findall(text) == _expected_order(labels, TEAM)[:MEMBER_ROWS_SHOWN], page
        assert MORE["en"] in text, page
    record = decision.record
    gate = next(c for c in record["verdicts"][0]["conditions"] if c["code"] == "overconfidence")
    assert sorted(m["who"] for m in gate["params"]["members"]) == sorted(labels)


def test_the_count_is_of_ratings_when_members_are_named_on_two_questions(
    client, login, make_user, make_client
):
    """ "Muddy" links two questions: six members named on both are twelve rows, ten shown
    and two counted; the count never reads as more members than the team has."""
    f.ensure_catalogue()
    lead = make_user("lead")
    members = [make_user("member") for _ in range(6)]
    review = f.open_review(lead, make_client(actor=lead), members, quorum=3)
    for member in members:
        sure = {"goals_agreed": (5, 100), "delivery_quality": (5, 100)}
        f.submit(review, member, f.full_response(overrides=sure, choices={"muddy": "Vague."}))
    f.client_answers(review, lead, rating=4, overrides={"goals_agreed": 1, "delivery_quality": 1})
    f.close(review, lead)
    login(client, lead)
    text = client.get(f"/reviews/{review.id}/compare").get_data(as_text=True)
    verdict = text.split('id="verdict-muddy"')[1].split("</article>")[0]
    assert len(re.findall(r"<tr><td>Member [A-Z] on “", verdict)) == MEMBER_ROWS_SHOWN
    assert "…and 2 more ratings by named members" in verdict
