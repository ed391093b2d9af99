"""Handling a kind of client: which message drafts and next steps follow from the
categories a decision confirmed. Codes only; the web layer words them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

NEED_ANSWERS = "need_answers"
PAYMENT_REMINDER = "payment_reminder"
WORK_PAUSED = "work_paused"
REASON_STATEMENT = "reason_statement"
DRAFT_KEYS: tuple[str, ...] = (NEED_ANSWERS, PAYMENT_REMINDER, WORK_PAUSED, REASON_STATEMENT)

# From the two source documents: the non-responsive client hears, at every step, that work
# cannot move without answers; the "I'll pay eventually" and debtor clients get a
# face-saving reminder, then a pause until payment. Every confirmed category may end the
# relationship, which calls for the reason statement and the offboarding kit.
_DRAFTS_FOR_CATEGORY: dict[str, tuple[str, ...]] = {
    "non_responsive": (NEED_ANSWERS,),
    "pay_eventually": (PAYMENT_REMINDER, WORK_PAUSED),
    "eternal_debtor": (PAYMENT_REMINDER, WORK_PAUSED),
    "wont_pay_for_air": (PAYMENT_REMINDER,),
}


@dataclass(frozen=True)
class NextStep:
    code: str  # "draft" or "offboarding"
    draft_key: str | None = None


def drafts_for(category_keys: Iterable[str]) -> tuple[str, ...]:
    """The drafts that fit the categories, each once, in DRAFT_KEYS order."""
    wanted = {d for key in category_keys for d in _DRAFTS_FOR_CATEGORY.get(key, ())}
    return tuple(d for d in DRAFT_KEYS if d in wanted)


def next_steps(confirmed: Iterable[str]) -> tuple[NextStep, ...]:
    confirmed = tuple(confirmed)
    if not confirmed:
        return ()
    steps = [NextStep("draft", key) for key in drafts_for(confirmed)]
    steps.append(NextStep("draft", REASON_STATEMENT))
    steps.append(NextStep("offboarding"))
    return tuple(steps)
