"""What needs a person now: answers to give, reviews to close, decisions to make.

Each review appears once, with every action it needs from this person; the rest of the
reviews they lead or take part in are listed once, below, without repeating these."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app.domain.lifecycle import ReviewState, can_close
from app.extensions import db
from app.models import Review, TeamResponseRow, User
from app.services.review_lists import reviews_visible_to, reviews_waiting_for
from app.services.reviews import submitted_count

ANSWER, CLOSE, DECIDE = "answer", "close", "decide"


@dataclass(frozen=True)
class Task:
    review: Review
    actions: tuple[str, ...]  # in the order to do them: answer, close, decide
    draft_saved_at: datetime | None = None  # the member's own draft, when there is one


@dataclass(frozen=True)
class Dashboard:
    tasks: list[Task]
    in_progress: list[Review]  # open reviews I lead that wait on others, not in `tasks`
    recent: list[Review]  # everything else I may see, newest first, not in the lists above


def dashboard_for(user: User, now: datetime, recent_limit: int = 10) -> Dashboard:
    waiting = reviews_waiting_for(user)
    drafts = (
        dict(
            db.session.execute(
                select(TeamResponseRow.review_id, TeamResponseRow.updated_at).where(
                    TeamResponseRow.user_id == user.id,
                    TeamResponseRow.status == "draft",
                    TeamResponseRow.review_id.in_([r.id for r in waiting]),
                )
            ).all()
        )
        if waiting
        else {}
    )
    actions: dict[int, list[str]] = {r.id: [ANSWER] for r in waiting}
    by_id = {r.id: r for r in waiting}
    visible = reviews_visible_to(user)
    in_progress = []
    for review in visible:
        if review.lead_id != user.id:
            continue  # admins may act on every review, but only their own are "theirs"
        if review.state == ReviewState.OPEN:
            done = submitted_count(review)
            if can_close(review.state, done, review.quorum, review.deadline, now):
                actions.setdefault(review.id, []).append(CLOSE)
                by_id[review.id] = review
            elif review.id not in by_id:
                in_progress.append(review)
        elif review.state == ReviewState.CLOSED:
            actions.setdefault(review.id, []).append(DECIDE)
            by_id[review.id] = review
    tasks = [
        Task(by_id[rid], tuple(acts), drafts.get(rid))
        for rid, acts in sorted(actions.items(), key=lambda item: by_id[item[0]].deadline)
    ]
    shown = set(by_id) | {r.id for r in in_progress}
    recent = [r for r in visible if r.id not in shown][:recent_limit]
    return Dashboard(tasks, in_progress, recent)
