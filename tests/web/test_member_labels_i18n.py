"""Members' anonymous labels are stored and sealed in English ("Member A") but read in the
reader's language (app/labels.py, the `member_label` filter): on the comparison page and
on the archived decision, while what is stored and sealed stays as it was."""

from __future__ import annotations

import re

import pytest
from flask import render_template_string
from flask_babel import refresh
from markupsafe import Markup

from app.domain.member_labels import counting_order
from app.extensions import db
from app.labels import member_label
from app.models import ReviewParticipant, utcnow
from app.services import decisions
from app.services.decisions import DecisionInput
from app.services.review_data import results_for
from tests import factories as f
from tests.archive_factory import stored_record

ENGLISH_LABEL = re.compile(r"Member (?:[A-Z]|[0-9]+)\b")
WORDED = {"da": "Medlem {mark}", "hu": "{mark}-tag", "en": "Member {mark}"}


@pytest.fixture
def flagged(make_user, make_client):
    """A closed review in which members sure of themselves rate the team well above the
    client, and the stored labels of the members flagged for it."""
    lead = make_user("lead", name="Lena Lead")
    team = [make_user("member", name=f"Person {name}") for name in ("Ann", "Bo", "Cy", "Di")]
    review = f.open_review(lead, make_client("Flag Foods", actor=lead), team)
    for index, member in enumerate(team):
        f.submit(
            review,
            member,
            f.full_response(rating=2 + index, confidence=70 + 10 * index, choices={"muddy": "x"}),
        )
    f.client_answers(review, lead, rating=1)
    f.close(review, lead)
    review = f.reload(review)
    flagged = {flag.who for flag in results_for(review).scores.flags} - {"team"}
    assert flagged, "the review must flag members individually"
    return lead, review, sorted(flagged)


def _page(client, path: str, language: str) -> str:
    response = client.get(path, headers={"Accept-Language": language})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _worded(label: str, language: str) -> str:
    return WORDED[language].format(mark=label.removeprefix("Member "))


@pytest.mark.parametrize("language", ["da", "hu"])
def test_the_comparison_page_words_the_labels_in_the_readers_language(
    client, login, flagged, language
):
    lead, review, labels = flagged
    login(client, lead)
    page = _page(client, f"/reviews/{review.id}/compare", language)
    for label in labels:
        assert _worded(label, language) in page
    assert not ENGLISH_LABEL.search(page)
    # The page is kept per language: the next reader in English reads English.
    english = _page(client, f"/reviews/{review.id}/compare", "en")
    assert all(label in english for label in labels)


@pytest.mark.parametrize("language", ["da", "hu"])
def test_the_archived_decision_words_the_sealed_labels(client, login, flagged, language):
    lead, review, labels = flagged
    decision = decisions.decide_review(
        review.id, lead, DecisionInput({"muddy": "not_confirmed"}, "Unclear."), utcnow()
    )
    sealed = {flag["who"] for flag in stored_record(decision.id)["scores"]["flags"]}
    assert set(labels) <= sealed  # sealed in English, as stored
    login(client, lead)
    for path in (f"/archive/{decision.id}", f"/reviews/{review.id}/compare"):
        page = _page(client, path, language)
        for label in labels:
            assert _worded(label, language) in page, path
        assert not ENGLISH_LABEL.search(page), path
    stored = db.session.query(ReviewParticipant.label).filter_by(review_id=review.id)
    assert {row.label for row in stored} >= set(labels)


@pytest.mark.parametrize(
    ("language", "stored", "shown"),
    [
        ("da", "Member A", "Medlem A"),
        ("da", "Member 27", "Medlem 27"),
        ("hu", "Member B", "B-tag"),
        ("hu", "Member 27", "27. tag"),
        ("en", "Member C", "Member C"),
        ("da", "team", "team"),  # not a label: as it is
        ("da", "Member One", "Member One"),  # older data: as it is
        ("hu", "Respondent 4", "Respondent 4"),
        ("da", "", ""),
    ],
)
def test_member_label_words_stored_labels_and_leaves_other_text(app, language, stored, shown):
    with app.test_request_context(headers={"Accept-Language": language}):
        refresh()  # the tests' app context outlives the request: forget its locale
        assert member_label(stored) == shown


def test_member_label_gives_text_that_templates_escape(app):
    hostile = 'Member <script>alert("x")</script> & co'
    with app.test_request_context(headers={"Accept-Language": "da"}):
        refresh()
        assert member_label(hostile) == hostile
        assert not isinstance(member_label(hostile), Markup)
        assert not isinstance(member_label("Member A"), Markup)
        drawn = render_template_string("{{ who|member_label }}", who=hostile)
    assert drawn == "Member &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; co"


def test_members_are_listed_in_the_order_a_reader_counts_them(app):
    stored = ["Member 10", "Member B", "team", "Member 2", "Member A", "Member 1"]
    assert counting_order(stored) == [
        "Member A",
        "Member B",
        "Member 1",
        "Member 2",
        "Member 10",
        "team",
    ]
    template = "{{ members|named_members }}"  # each once, worded, as a condition names them
    with app.test_request_context():
        shown = render_template_string(
            template, members=[{"who": "Member 10"}, {"who": "Member 9"}, {"who": "Member 10"}]
        )
    assert shown == "Member 9, Member 10"


def test_named_members_are_worded_and_escaped_each(app):
    """One filter words, orders and joins them: each label in the reader's language, each
    escaped once, the commas between them left as they are."""
    hostile = 'Member <script>alert("x")</script> & co'
    members = [{"who": "Member B"}, {"who": hostile}, {"who": "Member A"}, {"who": "Member B"}]
    with app.test_request_context(headers={"Accept-Language": "da"}):
        refresh()
        shown = render_template_string("{{ members|named_members }}", members=members)
        worded = [member_label("Member A"), member_label("Member B")]
    assert worded[0] != "Member A"  # Danish words
    assert shown == (
        f"{worded[0]}, {worded[1]}, Member &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; co"
    )
