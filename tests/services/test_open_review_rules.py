"""Opening a review: the state column speaks ReviewState, the lead fixes a complexity
floor before anyone answers, and no quorum or team is below the deployment's minimum."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError, StatementError

from app.domain.lifecycle import ReviewState
from app.extensions import db
from app.models import Review, utcnow
from app.services import review_opening
from app.services.errors import InvalidInput
from app.services.review_data import review_data_for
from tests import factories as f


@pytest.fixture
def team(make_user, make_client):
    f.ensure_catalogue()
    lead = make_user("lead")
    members = [make_user("member") for _ in range(4)]
    client = make_client("Rules Client", actor=lead)
    return lead, members, client


def _open(lead, client, members, quorum, **kwargs):
    now = utcnow()
    ids = [m.id for m in members]
    deadline = now + timedelta(days=7)
    return review_opening.open_review(
        lead, client.id, "A conflict.", ids, deadline, quorum, now, **kwargs
    )


def _stored_state(review_id: int) -> str:
    return db.session.execute(
        text("SELECT state FROM reviews WHERE id = :id"), {"id": review_id}
    ).scalar_one()


# --- the state column ---------------------------------------------------------------------


def test_the_state_column_round_trips_the_enum_and_stores_its_text(team):
    lead, members, client = team
    review = f.open_review(lead, client, members[:3])
    assert f.reload(review).state is ReviewState.OPEN
    assert _stored_state(review.id) == ReviewState.OPEN.value
    for member in members[:3]:
        f.submit(review, member)
    f.close(review, lead)
    assert f.reload(review).state is ReviewState.CLOSED
    assert _stored_state(review.id) == ReviewState.CLOSED.value
    found = db.session.scalars(select(Review.id).where(Review.state == ReviewState.CLOSED)).all()
    assert found == [review.id]


def test_an_unknown_state_is_refused_by_the_database(team):
    lead, members, client = team
    review = f.open_review(lead, client, members[:3])
    with pytest.raises(IntegrityError):
        db.session.execute(
            text("UPDATE reviews SET state = 'archived' WHERE id = :id"), {"id": review.id}
        )
        db.session.flush()
    db.session.rollback()
    assert _stored_state(review.id) == ReviewState.OPEN.value


def test_an_unknown_state_is_refused_before_it_reaches_the_database(team):
    lead, members, client = team
    review = f.reload(f.open_review(lead, client, members[:3]))
    review.state = "archived"
    with pytest.raises(StatementError):
        db.session.commit()
    db.session.rollback()
    assert _stored_state(review.id) == ReviewState.OPEN.value


def test_closing_a_closed_review_is_refused_by_the_transition(team):
    from app.domain.errors import ReviewAlreadyClosed

    lead, members, client = team
    review = f.open_review(lead, client, members[:3])
    for member in members[:3]:
        f.submit(review, member)
    f.close(review, lead)
    with pytest.raises(ReviewAlreadyClosed):
        f.close(review, lead)
    assert f.reload(review).state is ReviewState.CLOSED


# --- the complexity floor -----------------------------------------------------------------


def test_the_chosen_complexity_floor_is_stored_and_reaches_the_domain(team):
    lead, members, client = team
    review = _open(lead, client, members[:3], 3, complexity_floor=5)
    assert f.reload(review).complexity_floor == 5
    assert review_data_for(f.reload(review)).complexity_floor == 5


def test_without_a_choice_the_deployment_default_floor_is_used(app, team):
    lead, members, client = team
    review = _open(lead, client, members[:3], 3)
    expected = app.extensions["candor_thresholds"].default_complexity_floor
    assert f.reload(review).complexity_floor == expected == 3


@pytest.mark.parametrize("floor", [0, 6, -1, 3.5, "3", True])
def test_a_complexity_floor_outside_one_to_five_is_refused_and_nothing_is_saved(team, floor):
    lead, members, client = team
    with pytest.raises(InvalidInput, match="complexity") as refused:
        _open(lead, client, members[:3], 3, complexity_floor=floor)
    assert refused.value.field == "complexity_floor"
    assert db.session.query(Review).count() == 0


def test_the_database_refuses_a_complexity_floor_outside_one_to_five(team):
    lead, members, client = team
    review = f.open_review(lead, client, members[:3])
    with pytest.raises(IntegrityError):
        db.session.execute(
            text("UPDATE reviews SET complexity_floor = 9 WHERE id = :id"), {"id": review.id}
        )
        db.session.flush()
    db.session.rollback()
    assert f.reload(review).complexity_floor == 3


# --- the quorum minimum -------------------------------------------------------------------


def test_a_quorum_below_the_minimum_is_refused_with_the_minimum_named(team):
    lead, members, client = team
    with pytest.raises(InvalidInput, match="at least 3") as refused:
        _open(lead, client, members[:3], 2)
    assert refused.value.field == "quorum"
    assert db.session.query(Review).count() == 0


def test_a_quorum_at_the_minimum_is_accepted(team):
    lead, members, client = team
    review = _open(lead, client, members[:3], 3)
    assert f.reload(review).quorum == 3


def test_fewer_participants_than_the_minimum_are_refused(team):
    lead, members, client = team
    with pytest.raises(InvalidInput, match="at least 3 participants") as refused:
        _open(lead, client, members[:2], 2)
    assert refused.value.field == "participants"
    assert db.session.query(Review).count() == 0


def test_a_quorum_larger_than_the_team_is_still_refused(team):
    lead, members, client = team
    with pytest.raises(InvalidInput, match="larger than the number of participants"):
        _open(lead, client, members[:3], 4)


def test_a_stricter_deployment_moves_the_bar(team, app_with_thresholds):
    lead, members, client = team
    strict = app_with_thresholds(min_respondents="4")
    with strict.app_context():
        with pytest.raises(InvalidInput, match="at least 4") as refused:
            _open(lead, client, members, 3)
        assert refused.value.field == "quorum"
        with pytest.raises(InvalidInput, match="at least 4 participants"):
            _open(lead, client, members[:3], 3)
        review_id = _open(lead, client, members, 4).id
    assert db.session.get(Review, review_id).quorum == 4
