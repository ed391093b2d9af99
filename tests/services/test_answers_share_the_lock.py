"""Members answering at once share the review's lock; a close still waits for them all.

Saving an answer takes the review row `FOR SHARE` (issue 16: fifty members submitting at
once queued on the exclusive lock, one commit after another, p95 1.6 s). Real threads and
real transactions on PostgreSQL: one member's submit is held inside its transaction just
after it took the lock; another member's submit must finish meanwhile, while a close started
meanwhile must wait until the held submit commits, and then count it.
"""

from __future__ import annotations

import json

import pytest

from app.extensions import db
from app.models import TeamResponseRow, User, utcnow
from app.services import review_changes, reviews
from tests.services.test_answer_after_close import (
    HoldAfterLock,
    Scene,
    Worker,
    wait_until,
    waits_for_a_lock,
)

pytestmark = pytest.mark.postgres_only


class TwoLateMembers(Scene):
    """The scene with a fifth member, so that two members have still to answer."""

    def __init__(self, make_user, make_client):
        super().__init__(make_user, make_client)
        fifth = make_user("member")
        review = self.review()
        review_changes.change_review(
            review.id,
            db.session.get(User, self.lead_id),
            [p.user_id for p in review.participants] + [fifth.id],
            review.quorum,
            review.deadline,
            utcnow(),
        )
        self.fifth_id = fifth.id

    def submit_of(self, user_id: int):
        def job():
            user = db.session.get(User, user_id)
            return reviews.save_response(self.review_id, user, self.response, True, utcnow())

        return job

    def held_submit(self, app, monkeypatch) -> tuple[HoldAfterLock, Worker]:
        """The fourth member's submit, held inside its transaction just after the lock."""
        hold = HoldAfterLock(monkeypatch, holder="first")
        first = Worker(app, "first", self.submit_of(self.late_id)).start()
        wait_until(lambda: hold.locked.is_set() or first.done, "the first submit took the lock")
        assert hold.locked.is_set(), first.error
        return hold, first


def test_a_member_does_not_wait_for_another_members_open_submit(
    app, monkeypatch, make_user, make_client
):
    scene = TwoLateMembers(make_user, make_client)
    hold, first = scene.held_submit(app, monkeypatch)
    second = Worker(app, "second", scene.submit_of(scene.fifth_id)).start()
    wait_until(lambda: second.done, "the second submit finished while the first was held")
    assert second.error is None, second.error
    assert not first.done  # still held inside its transaction, lock taken
    hold.release.set()
    assert first.join().error is None, first.error
    submitted = db.session.query(TeamResponseRow).filter_by(status="submitted").count()
    assert submitted == 5


def test_a_close_waits_for_every_submit_holding_the_shared_lock(
    app, monkeypatch, make_user, make_client
):
    scene = TwoLateMembers(make_user, make_client)
    hold, first = scene.held_submit(app, monkeypatch)
    close = Worker(app, "close", scene.close()).start()
    wait_until(lambda: waits_for_a_lock(close.pid), "the close waited for the submit")
    hold.release.set()
    assert first.join().error is None, first.error
    assert close.join().error is None, close.error
    assert scene.review().state == "closed"
    # The close counted the submit it waited for: 3 before, the held one, not the fifth.
    assert json.loads(scene.events()[-1].details)["submitted"] == 4
