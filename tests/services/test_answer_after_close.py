"""An answer that began before the review closed lands before the close, or is refused.

PITFALLS 20: checking "the review is open" and writing the answer later, without checking
again, let an answer land after the close and even after the decision (the record said
one respondent, the comparison page two). Closing, deciding and every answer (a member's
draft or submission, the client's view by link or recorded by the lead) now take the
review row's lock first (`reviews.lock_review`) and check the state after it, in the
same transaction as their writes.

The races run on PostgreSQL with real threads, each with its own app context, session and
connection: one request is held inside its transaction right after it took the lock, the
other is seen waiting for that lock in pg_stat_activity, and then the first is let go.
The tests that run on both databases, which change the state just before the lock, are in
test_answer_refused_after_close.py; the scene both share is answer_race_scene.py.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable

import pytest
from sqlalchemy import select, text

from app.domain.errors import ReviewNotClosed
from app.domain.record import answers_digest
from app.extensions import db
from app.models import (
    Decision,
    TeamResponseRow,
    User,
    utcnow,
)
from app.services import client_links, reviews
from app.services.records import record_of
from app.services.review_data import raw_answer_rows
from tests import factories as f
from tests.services.answer_race_scene import KINDS, Scene, assert_before_close_or_refused

# --- PostgreSQL: two real transactions ------------------------------------------------


class Worker:
    """One request in its own thread, app context, session and database connection."""

    def __init__(self, app, name: str, job: Callable[[], object]):
        self.result: object = None
        self.error: BaseException | None = None
        self.pid: int | None = None
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(app, job), name=name, daemon=True)

    def _run(self, app, job) -> None:
        with app.app_context():
            try:
                # The backend this request's transaction runs on, to watch it wait.
                self.pid = db.session.scalar(text("SELECT pg_backend_pid()"))
                self._ready.set()
                self.result = job()
            except Exception as error:  # noqa: BLE001 - asserted by the test
                self.error = error
            finally:
                self._ready.set()
                db.session.remove()

    def start(self) -> Worker:
        self._thread.start()
        assert self._ready.wait(10)
        return self

    @property
    def done(self) -> bool:
        return not self._thread.is_alive()

    def join(self) -> Worker:
        self._thread.join(timeout=60)
        assert self.done, "the request never finished"
        return self


def waits_for_a_lock(pid: int | None) -> bool:
    with db.engine.connect() as connection:
        return (
            connection.scalar(
                text("SELECT wait_event_type = 'Lock' FROM pg_stat_activity WHERE pid = :pid"),
                {"pid": pid},
            )
            is True
        )


def wait_until(condition: Callable[[], bool], what: str, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting until {what}"
        time.sleep(0.02)


class HoldAfterLock:
    """Holds the thread named `holder` inside its transaction just after it has locked
    the review (before it checks the state), until `release` is set."""

    def __init__(self, monkeypatch, holder: str):
        self.locked, self.release = threading.Event(), threading.Event()

        def held(lock):
            def lock_then_hold(review_id: int, *args):
                locked = lock(review_id, *args)
                if threading.current_thread().name == holder:
                    self.locked.set()
                    assert self.release.wait(30), "the held request was never let go"
                return locked

            return lock_then_hold

        # reviews' own callers (close, decide through review_led_by; a team answer takes
        # the lock with where the member stands) and client_links'.
        monkeypatch.setattr(reviews, "lock_review", held(reviews.lock_review))
        monkeypatch.setattr(reviews, "lock_to_answer", held(reviews.lock_to_answer))
        monkeypatch.setattr(client_links, "lock_review", held(client_links.lock_review))


def race(app, monkeypatch, first: Callable[[], object], second: Callable[[], object]):
    """`first` takes the review's lock and is held there; `second` starts and is seen
    waiting for the lock; then `first` goes on. Returns both, finished."""
    hold = HoldAfterLock(monkeypatch, holder="first")
    a = Worker(app, "first", first).start()
    wait_until(lambda: hold.locked.is_set() or a.done, "the first request locked the review")
    assert hold.locked.is_set(), f"the first request ended before locking: {a.error!r}"
    b = Worker(app, "second", second).start()
    wait_until(lambda: waits_for_a_lock(b.pid), "the second request waited for the lock")
    hold.release.set()
    return a.join(), b.join()


@pytest.mark.postgres_only
@pytest.mark.parametrize("kind", KINDS)
def test_an_answer_that_locked_first_lands_before_the_close(
    app, monkeypatch, make_user, make_client, kind
):
    scene = Scene(make_user, make_client)
    version = scene.review().data_version
    answer, close = race(app, monkeypatch, scene.answer(kind), scene.close())
    assert answer.error is None and close.error is None, (answer.error, close.error)
    assert_before_close_or_refused(app, scene, kind, answer.error, version)
    if kind == "team_submit":
        assert json.loads(scene.events()[-1].details)["submitted"] == 4


@pytest.mark.postgres_only
@pytest.mark.parametrize("kind", KINDS)
def test_an_answer_that_waited_for_the_close_is_refused_and_changes_nothing(
    app, monkeypatch, make_user, make_client, kind
):
    scene = Scene(make_user, make_client)
    version = scene.review().data_version
    close, answer = race(app, monkeypatch, scene.close(), scene.answer(kind))
    assert close.error is None, close.error
    assert answer.error is not None, "the answer landed after the close"
    assert_before_close_or_refused(app, scene, kind, answer.error, version)


@pytest.mark.postgres_only
def test_a_decision_that_waited_for_the_close_decides_after_it(
    app, monkeypatch, make_user, make_client
):
    scene = Scene(make_user, make_client)
    close, decide = race(app, monkeypatch, scene.close(), scene.decide())
    assert close.error is None and decide.error is None, (close.error, decide.error)
    actions = [e.action for e in scene.events()]
    assert actions.index("review.closed") < actions.index("review.decided")
    assert scene.review().state == "decided"


@pytest.mark.postgres_only
def test_a_decision_that_locked_an_open_review_first_is_refused_and_the_close_goes_on(
    app, monkeypatch, make_user, make_client
):
    scene = Scene(make_user, make_client)
    decide, close = race(app, monkeypatch, scene.decide(), scene.close())
    assert isinstance(decide.error, ReviewNotClosed), repr(decide.error)
    assert close.error is None, close.error
    assert scene.review().state == "closed"
    assert db.session.query(Decision).count() == 0


@pytest.mark.postgres_only
def test_a_submission_stuck_behind_its_draft_row_is_not_overtaken_by_close_and_decide(
    app, make_user, make_client
):
    """The reported case, with no hook in the code: another transaction holds the member's
    draft row, so the submission stalls between its state check and its write. The close
    and the decision must wait for it (they used to pass it, and the answer landed after
    the decision: audit closed -> decided -> response.submitted)."""
    scene = Scene(make_user, make_client)
    late = db.session.get(User, scene.late_id)
    reviews.save_response(scene.review_id, late, f.full_response(rating=3), False, utcnow())
    draft_id = db.session.scalar(
        select(TeamResponseRow.id).where(TeamResponseRow.user_id == scene.late_id)
    )
    holder = db.engine.connect()
    try:
        holder.execute(
            text("SELECT id FROM team_responses WHERE id = :id FOR UPDATE"), {"id": draft_id}
        )
        answer = Worker(app, "answer", scene.answer("team_submit")).start()
        wait_until(lambda: waits_for_a_lock(answer.pid), "the submission stalled on its draft")

        def close_then_decide():
            scene.close()()
            return scene.decide()()

        lead = Worker(app, "lead", close_then_decide).start()
        # Fixed: the close waits for the review's lock, held by the stalled submission.
        # Broken: the close and the decision go through; the submission lands afterwards.
        wait_until(lambda: lead.done or waits_for_a_lock(lead.pid), "the close went or waited")
    finally:
        holder.rollback()
        holder.close()
    answer.join()
    lead.join()
    assert lead.error is None, lead.error
    assert_before_close_or_refused(app, scene, "team_submit", answer.error, version_before=0)
    actions = [e.action for e in scene.events()]
    assert actions[-3:] == ["response.submitted", "review.closed", "review.decided"], actions
    # The record holds every answer that is stored: nothing changed after the decision.
    review = scene.review()
    decision = db.session.scalar(select(Decision).where(Decision.review_id == review.id))
    record = record_of(decision)
    assert len(record["team"]) == scene.submitted() == 4
    assert record["answers_digest"] == answers_digest(raw_answer_rows(review))
