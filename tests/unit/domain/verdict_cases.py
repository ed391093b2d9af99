"""The agreement rule, case by case, with the numbers worked out by hand in the comments.

Unless a case says otherwise: category "muddy" (linked: goals_agreed, delivery_quality),
three members, complexity 2 (gap threshold 4/3 - 0.2 = 1.133, confidence threshold 75 %),
70 % confidence, everybody chooses "muddy", quorum 3.
"""

from dataclasses import dataclass, field

from app.domain.thresholds import Thresholds
from app.domain.verdict import evaluate

from .builders import DELIVERY, GOALS, MUDDY, review, team_from_columns

CORROBORATE_GOALS = f"corroboration:{GOALS}"
CORROBORATE_DELIVERY = f"corroboration:{DELIVERY}"
WAIVER = "Client refused to answer after three reminders"

# goals 4, 4, 3 (median 4, all within one point); delivery 4, 4, 4.
BASE = {GOALS: [4, 4, 3], DELIVERY: [4, 4, 4]}
CLIENT_AGREES = {GOALS: 4, DELIVERY: 4}


@dataclass(frozen=True)
class Case:
    name: str
    columns: dict
    client: dict | None
    failed: set
    decided_by: str
    quorum: int = 3
    waiver: str | None = None
    complexity: int = 2
    confidence: int = 70
    thresholds: Thresholds = field(default_factory=Thresholds)


CASES = [
    # votes 3/3; companion 6/6 within one point; gaps 11/3 - 4 = -0.33 and 0 <= 1.133.
    Case("clear confirmation", BASE, CLIENT_AGREES, set(), "companion"),
    # 3 respondents < quorum 4; everything else as the clear confirmation.
    Case("quorum near miss", BASE, CLIENT_AGREES, {"quorum"}, "companion", quorum=4),
    # goals 4, 4, 1 (1 is 3 from the median 4), delivery 4, 4, 2 (2 from 4): 4/6 = 0.67 < 0.75;
    # gaps 3 - 4 = -1 and 10/3 - 4 = -0.67 still corroborate.
    Case(
        "agreement near miss (companion)",
        {GOALS: [4, 4, 1], DELIVERY: [4, 4, 2]},
        CLIENT_AGREES,
        {"team_agreement"},
        "companion",
    ),
    # 5 members x 2 dimensions = 10 pairable values: alpha decides. alpha = -0.125 (see
    # test_agreement), although every rating is within one point; gaps 0.2 and 0.2.
    Case(
        "agreement near miss (alpha)",
        {GOALS: [4, 4, 5, 4, 4], DELIVERY: [4, 4, 4, 5, 4]},
        CLIENT_AGREES,
        {"team_agreement"},
        "alpha",
    ),
    # n2 = 5, n4 = 4, n5 = 1: observed 2 * 1 * 6.25 = 12.5, expected 2 * (20*20.25 + 5*49 + 4*6.25)
    # = 1350, alpha = 1 - 9 * 12.5 / 1350 = 11/12 = 0.917 (reliable); gaps 0 and 0.2.
    Case(
        "alpha reliable",
        {GOALS: [2, 2, 2, 2, 2], DELIVERY: [4, 4, 4, 4, 5]},
        {GOALS: 2, DELIVERY: 4},
        set(),
        "alpha",
    ),
    # n2 = 4, n4 = 2, n5 = 4: observed 2*9 + 2*9 = 36, expected 2 * (8*9 + 16*36 + 8*9) = 1440,
    # alpha = 1 - 9 * 36 / 1440 = 0.775 (tentative); gaps 2.4 - 2 = 0.4 and 4.8 - 5 = -0.2.
    Case(
        "alpha tentative",
        {GOALS: [2, 2, 2, 2, 4], DELIVERY: [5, 5, 5, 5, 4]},
        {GOALS: 2, DELIVERY: 5},
        set(),
        "alpha",
    ),
    # gap 11/3 - 2 = 1.67 > 1.133; mean confidence 70 < 75, so no overconfidence flag.
    Case(
        "corroboration near miss", BASE, {GOALS: 2, DELIVERY: 4}, {CORROBORATE_GOALS}, "companion"
    ),
    # complexity 1: gap threshold 4/3, confidence 80 %. goals 5, 4, 4 vs client 3: gap
    # 13/3 - 3 = 4/3, exactly at the threshold: corroborated, and flagged (90 % >= 80 %).
    Case(
        "overconfidence near miss",
        {GOALS: [5, 4, 4], DELIVERY: [4, 4, 4]},
        {GOALS: 3, DELIVERY: 4},
        {"overconfidence"},
        "companion",
        complexity=1,
        confidence=90,
    ),
    Case(
        "client never answered",
        BASE,
        None,
        {CORROBORATE_GOALS, CORROBORATE_DELIVERY, "client_view"},
        "companion",
    ),
    Case(
        "client never answered, blank waiver",
        BASE,
        None,
        {CORROBORATE_GOALS, CORROBORATE_DELIVERY, "client_view"},
        "companion",
        waiver="   ",
    ),
    Case("client never answered, waived", BASE, None, set(), "companion", waiver=WAIVER),
    Case(
        "client skipped a linked dimension", BASE, {GOALS: 4}, {CORROBORATE_DELIVERY}, "companion"
    ),
    # one member: quorum 3 missed, and no dimension has two ratings
    Case(
        "one respondent",
        {GOALS: [4], DELIVERY: [4]},
        CLIENT_AGREES,
        {"quorum", "team_agreement"},
        "companion",
    ),
    Case(
        "one respondent, quorum 1",
        {GOALS: [4], DELIVERY: [4]},
        CLIENT_AGREES,
        {"team_agreement"},
        "companion",
        quorum=1,
    ),
    Case(
        "all respondents identical",
        {GOALS: [4, 4, 4], DELIVERY: [4, 4, 4]},
        CLIENT_AGREES,
        set(),
        "unanimous",
    ),
    # with min_pairable_for_alpha lowered to 6 the base data is judged by alpha:
    # n3 = 1, n4 = 5; observed 2 * 9 = 18, expected 2 * 5 * 9 = 90, alpha = 1 - 5 * 18/90 = 0
    Case(
        "alpha decides when the deployment allows it",
        BASE,
        CLIENT_AGREES,
        {"team_agreement"},
        "alpha",
        thresholds=Thresholds(min_pairable_for_alpha=6),
    ),
]


def data_for(case: Case):
    team = team_from_columns(case.columns, complexity=case.complexity, confidence=case.confidence)
    return review(team, case.client, quorum=case.quorum, waiver=case.waiver)


def case_named(name):
    return next(case for case in CASES if case.name == name)


def verdict_for(name):
    case = case_named(name)
    return evaluate(MUDDY, data_for(case), case.thresholds)
