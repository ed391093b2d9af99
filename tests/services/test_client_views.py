"""The client's view through the services: partial answers, who may record it, its source."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.models import AuditEvent, ClientAnswerRow, ClientLink, ClientResponseRow, utcnow
from app.services import client_links, reviews
from app.services.errors import InvalidInput, NoClientAnswers, RecorderAnsweredReview
from app.services.review_data import client_words_of
from tests import factories as f


@pytest.fixture
def team(make_user, make_client):
    lead = make_user("lead", name="Lena Lead")
    members = [make_user("member") for _ in range(3)]
    client = make_client("Partial Oy", actor=lead)
    return lead, members, client


@pytest.fixture
def keys():
    return list(f.ensure_catalogue().dimension_keys)


def _link(review, lead):
    return client_links.issue_link(review.id, lead, utcnow(), send_email=False)[1]


def test_only_the_answered_statements_are_stored(team, keys):
    lead, members, client = team
    review = f.open_review(lead, client, members)
    token = _link(review, lead)
    client_links.submit_client_view(
        token, {keys[0]: 2, keys[4]: 5}, {keys[4]: "Yes."}, "", utcnow()
    )
    rows = db.session.query(ClientAnswerRow).order_by(ClientAnswerRow.dimension_key).all()
    assert {(r.dimension_key, r.rating, r.comment) for r in rows} == {
        (keys[0], 2, ""),
        (keys[4], 5, "Yes."),
    }


@pytest.mark.parametrize(
    "ratings, comments, error",
    [
        ({}, {}, NoClientAnswers),
        ({}, {"honesty": "a comment but no answer"}, NoClientAnswers),
        ({"honesty": 4}, {"timeliness": "on a statement not answered"}, InvalidInput),
        ({"honesty": 0}, {}, InvalidInput),
        ({"honesty": 6}, {}, InvalidInput),
        ({"honesty": "4"}, {}, InvalidInput),
        ({"nope": 4}, {}, InvalidInput),
        ({"honesty": 4}, {"nope": "x"}, InvalidInput),
    ],
)
def test_a_refused_client_view_stores_nothing_and_keeps_the_link(
    team, keys, ratings, comments, error
):
    lead, members, client = team
    review = f.open_review(lead, client, members)
    token = _link(review, lead)
    with pytest.raises(error):
        client_links.submit_client_view(token, ratings, comments, "", utcnow())
    assert db.session.query(ClientResponseRow).count() == 0
    assert db.session.query(ClientLink).one().used_at is None


def test_a_lead_who_submitted_a_team_answer_may_not_record_the_clients_view(team, keys):
    lead, members, client = team
    review = f.open_review(lead, client, [*members, lead])
    f.submit(review, lead)
    with pytest.raises(RecorderAnsweredReview):
        client_links.record_client_view(
            review.id, lead, {keys[0]: 3}, {}, "E-mail of 3 March.", utcnow()
        )
    db.session.rollback()
    assert db.session.query(ClientResponseRow).count() == 0
    actions = [e.action for e in db.session.query(AuditEvent).all()]
    assert "client_view.recorded_by_lead" not in actions


def test_a_lead_who_did_not_answer_records_the_view_and_retires_open_links(team, keys):
    lead, members, client = team
    review = f.open_review(lead, client, [*members, lead])
    _link(review, lead)
    # A draft is not an answer: the lead has not rated the team yet.
    reviews.save_response(review.id, lead, f.full_response(), False, utcnow())
    stored = client_links.record_client_view(
        review.id, lead, {keys[1]: 4}, {}, "  E-mail of 3 March.  ", utcnow()
    )
    assert stored.source == "lead" and stored.recorded_by_id == lead.id
    assert stored.source_quote == "E-mail of 3 March."
    assert [(a.dimension_key, a.rating) for a in stored.answers] == [(keys[1], 4)]
    assert db.session.query(ClientLink).one().revoked_at is not None


def test_whoever_submitted_a_team_answer_fails_the_recorder_check(team, keys):
    lead, members, client = team
    review = f.open_review(lead, client, members)
    f.submit(review, members[0])
    with pytest.raises(RecorderAnsweredReview):
        client_links.ensure_may_record_client_view(review, members[0])
    client_links.ensure_may_record_client_view(review, members[1])  # has not answered


def test_the_source_of_a_view_names_the_recorder_or_the_link(team, keys, make_client):
    lead, members, client = team
    by_link = f.open_review(lead, client, members)
    assert client_words_of(by_link) is None
    client_links.submit_client_view(_link(by_link, lead), {keys[0]: 4}, {}, "", utcnow())
    source = client_words_of(by_link)
    assert (source.source, source.recorded_by, source.quote) == ("link", None, "")
    # A second client: one client has one open review at a time.
    recorded = f.open_review(lead, make_client("Recorded Oy", actor=lead), members)
    row = client_links.record_client_view(
        recorded.id, lead, {keys[0]: 2}, {}, "Call of 4 March.", utcnow()
    )
    source = client_words_of(recorded)
    assert (source.source, source.recorded_by, source.quote) == (
        "lead",
        "Lena Lead",
        "Call of 4 March.",
    )
    assert source.submitted_at == row.submitted_at


def test_whoever_recorded_the_client_view_cannot_then_answer_the_review(team, keys):
    from app.services import reviews
    from app.services.errors import Forbidden

    lead, members, client = team
    review = f.open_review(lead, client, [lead, *members])
    client_links.record_client_view(review.id, lead, {keys[0]: 3}, {}, "Mail of 2 May.", utcnow())
    with pytest.raises(Forbidden) as refused:
        reviews.save_response(review.id, lead, f.full_response(), True, utcnow())
    assert refused.value.code == "answer_after_recording"
    reviews.save_response(review.id, members[0], f.full_response(), True, utcnow())
