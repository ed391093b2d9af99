"""An answer whose review closed after the request read it open, but before its write, is
refused with a clear message and changes nothing, on both databases; the review's lock
keeps other writers out until the transaction ends. (The same races with two real
transactions on PostgreSQL: test_answer_after_close.py.)"""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from app.domain.errors import ReviewAlreadyClosed
from app.extensions import db
from app.models import Review, User
from app.services import client_links, reviews
from app.services._tx import transaction
from app.services.errors import InvalidClientLink
from tests import factories as f
from tests.services.answer_race_scene import KINDS, Scene, assert_before_close_or_refused
from tests.web.client_view_helpers import send_answers
from tests.web.conftest import answer_form


def close_just_before_the_lock(app, monkeypatch, scene: Scene) -> None:
    """The review is closed, by another request that commits, right before the answering
    request takes the lock: after whatever the request read while the review was open."""
    closing = []

    def closed_first(lock):
        def close_then_lock(review_id: int, *args):
            if not closing:  # once, and not for the close's own lock
                closing.append(True)
                with app.app_context():  # another request: its own session and connection
                    scene.close()()
                    db.session.remove()
            return lock(review_id, *args)

        return close_then_lock

    # A team answer takes the lock with where the member stands; the rest take it alone.
    monkeypatch.setattr(reviews, "lock_to_answer", closed_first(reviews.lock_to_answer))
    monkeypatch.setattr(reviews, "lock_review", closed_first(reviews.lock_review))
    monkeypatch.setattr(client_links, "lock_review", closed_first(client_links.lock_review))


@pytest.mark.parametrize("kind", KINDS)
def test_an_answer_is_refused_when_the_review_closed_before_its_write(
    app, monkeypatch, make_user, make_client, kind
):
    scene = Scene(make_user, make_client)
    version = scene.review().data_version
    assert scene.review().state == "open"  # what this request's session read first
    close_just_before_the_lock(app, monkeypatch, scene)
    with pytest.raises((ReviewAlreadyClosed, InvalidClientLink)) as refused:
        scene.answer(kind)()
    assert_before_close_or_refused(app, scene, kind, refused.value, version)


def test_a_review_read_as_open_earlier_in_the_session_is_checked_again(app, make_user, make_client):
    """A request that loaded the review while it was open (the answer page does) holds that
    copy in its session; the service must not trust it."""
    scene = Scene(make_user, make_client)
    stale = db.session.get(Review, scene.review_id)
    assert stale.state == "open"
    with app.app_context():
        scene.close()()
        db.session.remove()
    assert stale.state == "open"  # still the old copy in this session
    with pytest.raises(ReviewAlreadyClosed):
        scene.answer("team_submit")()
    assert scene.stored_at("team_submit") is None


def test_the_review_lock_keeps_other_writers_out_until_the_transaction_ends(
    app, make_user, make_client
):
    scene = Scene(make_user, make_client)
    postgres = db.engine.dialect.name == "postgresql"
    # Another connection tries to take the same row: PostgreSQL refuses at once (NOWAIT);
    # SQLite, with a short busy timeout, finds the database locked for writing.
    attempt = (
        "SELECT id FROM reviews WHERE id = :id FOR UPDATE NOWAIT"
        if postgres
        else "UPDATE reviews SET quorum = quorum WHERE id = :id"
    )
    # Never wait long, whatever else holds the table (NOWAIT covers only the row lock).
    short, usual = (
        ("SET lock_timeout = '5s'", "RESET lock_timeout")
        if postgres
        else ("PRAGMA busy_timeout=50", "PRAGMA busy_timeout=10000")
    )
    with db.engine.connect() as other:
        other.exec_driver_sql(short)
        other.commit()
        try:
            with transaction():
                assert reviews.lock_review(scene.review_id).state == "open"
                with pytest.raises(OperationalError):
                    other.execute(text(attempt), {"id": scene.review_id})
                other.rollback()
            other.execute(text(attempt), {"id": scene.review_id})  # free again
            other.rollback()
        finally:
            other.rollback()
            other.exec_driver_sql(usual)
            other.commit()


def test_the_client_whose_answer_raced_the_close_gets_the_polite_page(
    app, client, monkeypatch, make_user, make_client
):
    scene = Scene(make_user, make_client)
    close_just_before_the_lock(app, monkeypatch, scene)
    data = {f"rating__{key}": "4" for key in scene.ratings}
    response = send_answers(client, scene.token, data)
    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "This link is no longer valid" in page and "Nothing was saved" in page
    assert scene.stored_at("client_link") is None


def test_the_member_whose_answer_raced_the_close_is_told_it_is_closed(
    app, client, login, monkeypatch, make_user, make_client
):
    scene = Scene(make_user, make_client)
    login(client, db.session.get(User, scene.late_id))
    close_just_before_the_lock(app, monkeypatch, scene)
    response = client.post(
        f"/reviews/{scene.review_id}/answer",
        data=answer_form(f.ensure_catalogue()),
        follow_redirects=True,
    )
    assert "This review is closed" in response.get_data(as_text=True)
    assert scene.stored_at("team_submit") is None
