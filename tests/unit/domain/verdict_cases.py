"""The agreement rule, case by case, with the numbers worked out by hand in the comments.

Unless a case says otherwise: category "muddy" (linked: goals_agreed, delivery_quality),
three members, complexity level 2 (gap threshold 4/3 - 0.2 = 1.133; sure from 75 %;
sure gap threshold 1.133 / 1.5 = 0.756), 70 % confidence (unsure), everybody chooses
"muddy", quorum 3, minimum respondents 3. r_wg = 1 - variance / 2.
"""

from dataclasses import dataclass, field

from app.domain.thresholds import Thresholds
from app.domain.verdict import evaluate

from .builders import DELIVERY, GOALS, MUDDY, review, team_from_columns

CORROBORATE_GOALS = f"corroboration:{GOALS}"
CORROBORATE_DELIVERY = f"corroboration:{DELIVERY}"
WAIVER = "Client refused to answer after three reminders"

# goals 4, 4, 3 (variance 1/3, r_wg 0.833); delivery 4, 4, 4 (r_wg 1).
BASE = {GOALS: [4, 4, 3], DELIVERY: [4, 4, 4]}
CLIENT_AGREES = {GOALS: 4, DELIVERY: 4}


@dataclass(frozen=True)
class Case:
    name: str
    columns: dict
    client: dict | None
    failed: set
    quorum: int = 3
    waiver: str | None = None
    level: int = 2
    confidence: int = 70
    choices: list | None = None
    one_sided: bool = False
    thresholds: Thresholds = field(default_factory=Thresholds)


CASES = [
    # gaps 11/3 - 4 = -0.33 and 0: the client rates the agency at least as high.
    Case("clear confirmation", BASE, CLIENT_AGREES, set()),
    Case("quorum near miss", BASE, CLIENT_AGREES, {"quorum"}, quorum=4),
    # Two respondents never confirm, whatever the review's own quorum.
    Case("two respondents", {GOALS: [4, 4], DELIVERY: [4, 4]}, CLIENT_AGREES, {"quorum"}, quorum=2),
    # goals 4, 4, 1: variance 3, r_wg 0; delivery 4, 4, 2: variance 4/3, r_wg 0.33.
    Case("split team", {GOALS: [4, 4, 1], DELIVERY: [4, 4, 2]}, CLIENT_AGREES, {"team_agreement"}),
    # Five members all within one point: r_wg 0.9 on both (alpha -0.125 is only reported).
    Case(
        "near-unanimous five",
        {GOALS: [4, 4, 5, 4, 4], DELIVERY: [4, 4, 4, 5, 4]},
        CLIENT_AGREES,
        set(),
    ),
    # goals 5, 5, 4 vs client 3: gap 1.667 > 1.133; unsure, so no paradox.
    Case(
        "corroboration fails",
        {GOALS: [5, 5, 4], DELIVERY: [4, 4, 4]},
        {GOALS: 3, DELIVERY: 4},
        {CORROBORATE_GOALS},
    ),
    # Level 1 (bar 4/3): goals 4, 4, 5 vs 3 is a gap of exactly 4/3, which meets the bar.
    Case(
        "gap exactly at the bar",
        {GOALS: [4, 4, 5], DELIVERY: [4, 4, 4]},
        {GOALS: 3, DELIVERY: 4},
        set(),
        level=1,
    ),
    # The same at 90 % (sure from 80 % at level 1): weighted gap 4/3 + 0.5 * 4/3 = 2 > 4/3.
    Case(
        "the same ratings, sure",
        {GOALS: [4, 4, 5], DELIVERY: [4, 4, 4]},
        {GOALS: 3, DELIVERY: 4},
        {"overconfidence"},
        level=1,
        confidence=90,
    ),
    # Client 3 on both: goals gap 0.667, delivery 1.0, both within 1.133. Unsure: confirmable.
    Case("band, unsure", BASE, {GOALS: 3, DELIVERY: 3}, set()),
    # Sure (90 % >= 75 %): delivery weighted 1.0 * 1.5 = 1.5 > 1.133; goals (2 + 0.5 * 2) / 3 = 1.0.
    Case("band, sure", BASE, {GOALS: 3, DELIVERY: 3}, {"overconfidence"}, confidence=90),
    Case("no client view", BASE, None, {CORROBORATE_GOALS, CORROBORATE_DELIVERY, "client_view"}),
    Case("no client view, waived", BASE, None, set(), waiver=WAIVER, one_sided=True),
    Case("client skipped delivery", BASE, {GOALS: 4}, {CORROBORATE_DELIVERY}),
    Case("client skipped delivery, waived", BASE, {GOALS: 4}, set(), waiver=WAIVER, one_sided=True),
    Case(
        "nobody rated delivery",
        {GOALS: [4, 4, 4]},
        CLIENT_AGREES,
        {"team_agreement", CORROBORATE_DELIVERY},
    ),
    Case("one vote of three", BASE, CLIENT_AGREES, {"vote_share"}, choices=[[MUDDY], [], []]),
]


def case_named(name: str) -> Case:
    return next(case for case in CASES if case.name == name)


def data_for(case: Case):
    team = team_from_columns(case.columns, confidence=case.confidence, choices=case.choices)
    return review(
        team, case.client, quorum=case.quorum, waiver=case.waiver, complexity_floor=case.level
    )


def verdict_for(name: str):
    case = case_named(name)
    return evaluate(MUDDY, data_for(case), case.thresholds)
