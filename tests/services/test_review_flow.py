"""The review's life through the services, on a real database."""

from datetime import timedelta

import pytest

from app.domain.decision_rules import Gap
from app.domain.errors import (
    ConfirmationRefused,
    DecisionRefused,
    IncompleteResponse,
    ReviewAlreadyClosed,
    ReviewNotClosable,
)
from app.extensions import db
from app.models import AuditEvent, Client, Decision, TeamResponseRow, utcnow
from app.services import decisions, reviews
from app.services.decisions import DecisionInput
from app.services.errors import (
    Forbidden,
    InvalidInput,
    ResponseAlreadySubmitted,
)
from app.services.response_rows import AnswerInput, ResponseInput
from app.services.review_data import results_for
from tests import factories as f


@pytest.fixture
def team(make_user, make_client):
    lead = make_user("lead")
    members = [make_user("member") for _ in range(3)]
    client = make_client("Muddy Waters Ltd", actor=lead)
    return lead, members, client


def test_opening_a_review_puts_the_client_under_review_and_labels_members(team):
    lead, members, client = team
    review = f.open_review(lead, client, members)
    assert db.session.get(Client, client.id).status == "under_review"
    assert sorted(p.label for p in review.participants) == ["Member A", "Member B", "Member C"]
    assert review.state == "open"


def test_quorum_above_team_size_is_refused(team):
    lead, members, client = team
    with pytest.raises(InvalidInput, match="quorum"):
        f.open_review(lead, client, members, quorum=4)


def test_a_draft_is_kept_and_a_second_submission_is_refused(team):
    lead, members, client = team
    review = f.open_review(lead, client, members)
    draft = f.full_response(rating=2)
    reviews.save_response(review.id, members[0], draft, False, utcnow())
    f.submit(review, members[0], f.full_response(rating=4))
    with pytest.raises(ResponseAlreadySubmitted):
        f.submit(review, members[0], f.full_response(rating=1))
    row = db.session.query(TeamResponseRow).filter_by(user_id=members[0].id).one()
    assert row.status == "submitted"
    assert {a.rating for a in row.answers} == {4}


def test_an_incomplete_submission_names_what_is_missing(team):
    lead, members, client = team
    review = f.open_review(lead, client, members)
    given = ResponseInput(complexity=None, answers={})
    with pytest.raises(IncompleteResponse) as error:
        reviews.save_response(review.id, members[0], given, True, utcnow())
    assert Gap("complexity") in error.value.missing


def test_a_non_participant_cannot_answer(team, make_user):
    lead, members, client = team
    review = f.open_review(lead, client, members)
    with pytest.raises(Forbidden):
        f.submit(review, make_user("member"))


def test_close_needs_the_quorum_or_the_deadline(team):
    lead, members, client = team
    review = f.open_review(lead, client, members)
    f.submit(review, members[0])
    with pytest.raises(ReviewNotClosable):
        f.close(review, lead)
    f.submit(review, members[1])
    f.submit(review, members[2])
    assert f.close(review, lead).state == "closed"
    with pytest.raises(ReviewAlreadyClosed):
        f.close(review, lead)


def test_deadline_passed_allows_closing_below_quorum(team):
    lead, members, client = team
    review = f.open_review(lead, client, members)
    f.submit(review, members[0])
    closed = reviews.close_review(review.id, lead, utcnow() + timedelta(days=8))
    assert closed.state == "closed"


def test_results_are_refused_while_the_review_is_open(team):
    lead, members, client = team
    review = f.open_review(lead, client, members)
    f.submit(review, members[0])
    with pytest.raises(Forbidden):
        results_for(review)


def test_a_full_review_is_decided_and_archived_with_a_chained_digest(team):
    lead, members, client = team
    review = f.open_review(lead, client, members)
    for member in members:
        f.submit(
            review, member, f.full_response(rating=4, choices={"muddy": "No brief in writing."})
        )
    f.client_answers(review, lead, rating=4)
    f.close(review, lead)
    results = results_for(f.reload(review))
    verdict = {v.category_key: v for v in results.verdicts}["muddy"]
    assert verdict.confirmable, [c for c in verdict.conditions if not c.passed]
    decision = decisions.decide_review(
        review.id,
        lead,
        DecisionInput({"muddy": "confirmed"}, "All agreed; client agrees."),
        utcnow(),
    )
    assert decision.sequence == 1 and decision.previous_digest is None
    assert db.session.get(Client, client.id).status == "blacklisted"
    assert f.reload(review).state == "decided"
    actions = [e.action for e in db.session.query(AuditEvent).order_by(AuditEvent.id)]
    assert actions[-1] == "review.decided" and "client_view.submitted" in actions


def test_confirming_a_category_whose_verdict_fails_is_refused(team):
    lead, members, client = team
    review = f.open_review(lead, client, members)
    for member in members:
        f.submit(
            review, member, f.full_response(rating=5, confidence=95, choices={"muddy": "Vague."})
        )
    f.client_answers(review, lead, rating=1)
    f.close(review, lead)
    with pytest.raises(ConfirmationRefused) as refused:
        decisions.decide_review(
            review.id, lead, DecisionInput({"muddy": "confirmed"}, "We think so."), utcnow()
        )
    assert refused.value.code == "confirmation_refused"
    assert db.session.query(Decision).count() == 0
    assert f.reload(review).state == "closed"


def test_a_missing_client_view_needs_a_waiver_and_marks_the_decision_one_sided(team):
    lead, members, client = team
    review = f.open_review(lead, client, members)
    for member in members:
        f.submit(review, member, f.full_response(choices={"eternal_debtor": "Invoices unpaid."}))
    f.close(review, lead)
    with pytest.raises(DecisionRefused) as refused:
        decisions.decide_review(
            review.id,
            lead,
            DecisionInput({"eternal_debtor": "not_confirmed"}, "Unclear."),
            utcnow(),
        )
    assert refused.value.code == "waiver_missing" and refused.value.field == "waiver_reason"
    decision = decisions.decide_review(
        review.id,
        lead,
        DecisionInput(
            {"eternal_debtor": "not_confirmed"}, "Unclear.", waiver_reason="Client unreachable."
        ),
        utcnow(),
    )
    assert decision.one_sided and decision.final_status == "active"


@pytest.mark.parametrize("submit", [False, True])
@pytest.mark.parametrize("where", ["answers", "choices"])
def test_an_answer_naming_a_question_or_category_not_in_the_catalogue_is_refused(
    team, submit, where
):
    lead, members, client = team
    review = f.open_review(lead, client, members)
    given = f.full_response(choices={"muddy": "Seen."})
    if where == "answers":
        extra = {**given.answers, "no_such_question": AnswerInput(3, 50)}
        given = ResponseInput(given.complexity, extra, given.choices)
    else:
        given = ResponseInput(
            given.complexity, given.answers, {**given.choices, "no_such_category": ""}
        )
    with pytest.raises(InvalidInput) as refused:
        reviews.save_response(review.id, members[0], given, submit, utcnow())
    assert refused.value.code == "unknown_keys"
    assert "no_such_" in str(refused.value)
    assert db.session.query(TeamResponseRow).count() == 0
