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
The tests that run on both databases change the state just before the lock and check
that the write is refused, and that the lock keeps other writers out.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import OperationalError

from app.domain.errors import ReviewAlreadyClosed, ReviewNotClosed
from app.domain.record import answers_digest
from app.extensions import db
from app.messages import error_text
from app.models import (
    AuditEvent,
    ClientResponseRow,
    Decision,
    Review,
    TeamResponseRow,
    User,
    utcnow,
)
from app.services import client_links, decisions, reviews
from app.services._tx import transaction
from app.services.decisions import DecisionInput
from app.services.errors import InvalidClientLink
from app.services.records import record_of
from app.services.review_data import raw_answer_rows
from tests import factories as f
from tests.web.client_view_helpers import send_answers
from tests.web.conftest import answer_form

KINDS = ("team_submit", "team_draft", "client_link", "client_recorded")

# The audit action each kind of answer writes when it is stored.
ACTION = {
    "team_submit": "response.submitted",
    "team_draft": "response.draft_saved",
    "client_link": "client_view.submitted",
    "client_recorded": "client_view.recorded_by_lead",
}


class Scene:
    """A review three of four members have submitted (closable: quorum 3), with an
    active client link; the fourth member and the client have not answered yet."""

    def __init__(self, make_user, make_client):
        lead = make_user("lead")
        members = [make_user("member") for _ in range(4)]
        review = f.open_review(lead, make_client(actor=lead), members, quorum=3)
        for member in members[:3]:
            f.submit(review, member)
        _, self.token = client_links.issue_link(review.id, lead, utcnow(), send_email=False)
        self.review_id, self.lead_id, self.late_id = review.id, lead.id, members[3].id
        catalogue = f.ensure_catalogue()
        self.response = f.full_response(rating=2)
        self.ratings = {d.key: 3 for d in catalogue.dimensions}

    def answer(self, kind: str) -> Callable[[], object]:
        """The late answer of this kind, as a job for a thread (or to call directly)."""

        def job():
            now = utcnow()
            if kind in ("team_submit", "team_draft"):
                user = db.session.get(User, self.late_id)
                submit = kind == "team_submit"
                return reviews.save_response(self.review_id, user, self.response, submit, now)
            if kind == "client_link":
                return client_links.submit_client_view(self.token, self.ratings, {}, "", now)
            lead = db.session.get(User, self.lead_id)
            quote = "E-mail of 3 May: 'Good work, slow replies.'"
            return client_links.record_client_view(
                self.review_id, lead, self.ratings, {}, quote, now
            )

        return job

    def close(self) -> Callable[[], object]:
        return lambda: reviews.close_review(
            self.review_id, db.session.get(User, self.lead_id), utcnow()
        )

    def decide(self) -> Callable[[], object]:
        return lambda: decisions.decide_review(
            self.review_id,
            db.session.get(User, self.lead_id),
            DecisionInput({}, "Nothing to confirm.", waiver_reason="The client was asked."),
            utcnow(),
        )

    # --- what the database says afterwards ------------------------------------------

    def review(self) -> Review:
        db.session.expire_all()
        return db.session.get(Review, self.review_id)

    def events(self) -> list[AuditEvent]:
        return list(
            db.session.scalars(
                select(AuditEvent)
                .where(AuditEvent.object_type == "review", AuditEvent.object_id == self.review_id)
                .order_by(AuditEvent.id)
            )
        )

    def stored_at(self, kind: str):
        """When the late answer of this kind was stored, or None if it was not."""
        if kind in ("team_submit", "team_draft"):
            row = db.session.scalar(
                select(TeamResponseRow).where(
                    TeamResponseRow.review_id == self.review_id,
                    TeamResponseRow.user_id == self.late_id,
                )
            )
            if row is None:
                return None
            if kind == "team_submit":
                assert row.status == "submitted" and row.submitted_at is not None
                return row.submitted_at
            assert row.status == "draft"
            return row.updated_at
        row = db.session.scalar(
            select(ClientResponseRow).where(ClientResponseRow.review_id == self.review_id)
        )
        return None if row is None else row.submitted_at

    def submitted(self) -> int:
        return db.session.scalar(
            select(func.count())
            .select_from(TeamResponseRow)
            .where(
                TeamResponseRow.review_id == self.review_id, TeamResponseRow.status == "submitted"
            )
        )


def assert_before_close_or_refused(app, scene: Scene, kind: str, error, version_before: int):
    """The invariant: the late answer is stored and both its time and its audit event
    precede the close, or it was refused with a clear message and nothing changed."""
    review = scene.review()
    assert review.state in ("closed", "decided")
    events = scene.events()
    actions = [e.action for e in events]
    closed = actions.index("review.closed")
    # The late answer's own audit events (the others' submissions came before the race).
    late = [
        i
        for i, e in enumerate(events)
        if e.action == ACTION[kind] and (kind.startswith("client") or e.actor_id == scene.late_id)
    ]
    # What the close counted is what is stored: no submission slipped in after it.
    assert json.loads(events[closed].details)["submitted"] == scene.submitted()
    if error is None:
        stored_at = scene.stored_at(kind)
        assert stored_at is not None and stored_at <= review.closed_at
        assert len(late) == 1 and late[0] < closed, actions
        return
    if kind == "client_link":
        # The client gets the same polite "no longer valid" page as for a closed review.
        assert isinstance(error, InvalidClientLink), repr(error)
        assert isinstance(error.__cause__, ReviewAlreadyClosed), repr(error.__cause__)
    else:
        assert isinstance(error, ReviewAlreadyClosed), repr(error)
        with app.test_request_context():
            assert error_text(error) == (
                "This review is closed; answers and closing are no longer possible."
            )
    assert late == [], actions
    assert scene.stored_at(kind) is None
    assert review.data_version == version_before


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
        real = reviews.lock_review
        self.locked, self.release = threading.Event(), threading.Event()

        def lock_then_hold(review_id: int, **options) -> Review:
            review = real(review_id, **options)
            if threading.current_thread().name == holder:
                self.locked.set()
                assert self.release.wait(30), "the held request was never let go"
            return review

        # reviews' own callers (close, save, decide through review_led_by) and client_links'.
        monkeypatch.setattr(reviews, "lock_review", lock_then_hold)
        monkeypatch.setattr(client_links, "lock_review", lock_then_hold)


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


# --- both databases ---------------------------------------------------------------------


def close_just_before_the_lock(app, monkeypatch, scene: Scene) -> None:
    """The review is closed, by another request that commits, right before the answering
    request takes the lock: after whatever the request read while the review was open."""
    real = reviews.lock_review
    closing = []

    def close_then_lock(review_id: int, **options) -> Review:
        if not closing:  # once, and not for the close's own lock
            closing.append(True)
            with app.app_context():  # another request: its own session and connection
                scene.close()()
                db.session.remove()
        return real(review_id, **options)

    monkeypatch.setattr(reviews, "lock_review", close_then_lock)
    monkeypatch.setattr(client_links, "lock_review", close_then_lock)


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
