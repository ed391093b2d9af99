"""A realistic demo agency, so a newcomer sees the whole product at once.

It is built through the same use cases people use, so it obeys every rule.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from app.extensions import db
from app.models import User, utcnow
from app.services import client_links, clients, decisions, reviews, users
from app.services.catalogue import catalogue_of, latest_version, load_default_catalogue
from app.services.decisions import DecisionInput
from app.services.reviews import AnswerInput, ResponseInput

# Published in the README on purpose: it only ever opens the demo agency.
DEMO_PASSWORD = "candor-demo-2026"  # noqa: S105  # nosec B105
DEMO_USERS = [
    ("admin@demo.candor", "Ada Admin", "admin"),
    ("lead@demo.candor", "Lene Lead", "lead"),
    ("anna@demo.candor", "Anna Account", "member"),
    ("bela@demo.candor", "Béla SEO", "member"),
    ("carl@demo.candor", "Carl Content", "member"),
    ("dora@demo.candor", "Dóra Social", "member"),
]


def has_any_user() -> bool:
    return bool(db.session.scalar(select(func.count()).select_from(User)))


def _response(
    catalogue,
    ratings: dict[str, tuple[int, int]],
    default=(4, 75),
    complexity=3,
    choices=None,
    consent=False,
) -> ResponseInput:
    answers = {d.key: AnswerInput(*ratings.get(d.key, default)) for d in catalogue.dimensions}
    return ResponseInput(complexity, answers, choices or {}, consent)


def _decided_review(lead, client_id, conflict, answers, client_ratings, decision, start) -> None:
    """A review from weeks ago, taken through every step: open, answers, client, close, decide."""
    day = timedelta(days=1)
    team = [member.id for member, _ in answers]
    review = reviews.open_review(
        lead, client_id, conflict, team, start + 10 * day, len(team), start
    )
    for member, response in answers:
        reviews.save_response(review.id, member, response, True, start + day)
    _, token = client_links.issue_link(review.id, lead, start + 2 * day, send_email=False)
    client_links.submit_client_view(
        token, client_ratings, {}, "Thanks for asking.", start + 2 * day
    )
    reviews.close_review(review.id, lead, start + 3 * day)
    decisions.decide_review(review.id, lead, decision, start + 4 * day)


def load_demo() -> list[tuple[str, str, str]]:
    """Create the demo agency on an empty database; returns (email, role, password) rows."""
    load_default_catalogue()
    catalogue = catalogue_of(latest_version())
    people = {
        email: users.create_user(email, name, role, DEMO_PASSWORD)
        for email, name, role in DEMO_USERS
    }
    lead = people["lead@demo.candor"]
    anna, bela, carl, dora = (
        people[e]
        for e in ("anna@demo.candor", "bela@demo.candor", "carl@demo.candor", "dora@demo.candor")
    )
    now = utcnow()

    fog = clients.create_client(
        "Foggy Ventures",
        "Frida Fog",
        "frida@foggy.example",
        "Content marketing since spring.",
        lead,
    )
    late = clients.create_client(
        "Latepay Logistics",
        "Lars Late",
        "lars@latepay.example",
        "SEO retainer; invoices often late.",
        lead,
    )
    clients.create_client(
        "Bright Bakery", "Berit Baker", "berit@bright.example", "Social media, happy so far.", lead
    )
    ruler = clients.create_client(
        "Rulebook Retail",
        "Rita Rule",
        "rita@rulebook.example",
        "Wants to approve every post.",
        lead,
    )

    # 1. Decided, not confirmed: the team blamed a "muddy" client but rated itself high,
    #    very sure, while the client said goals were never agreed: the paradox at work.
    proud = {"goals_agreed": (5, 95), "delivery_quality": (5, 90)}
    muddy = {"muddy": "Goals changed in every call."}
    _decided_review(
        lead,
        fog.id,
        "The client says the blog series missed what it expected; "
        "the team says the goals kept changing.",
        [(m, _response(catalogue, proud, complexity=4, choices=muddy)) for m in (anna, bela, carl)],
        {
            d.key: {"goals_agreed": 1, "delivery_quality": 2}.get(d.key, 4)
            for d in catalogue.dimensions
        },
        DecisionInput(
            {"muddy": "not_confirmed"},
            "The client is right that we never wrote the goals down. We fix our kick-off checklist "
            "and keep working with Foggy Ventures.",
            clear_client=True,
        ),
        start=now - timedelta(days=60),
    )

    # 2. Decided, confirmed: the team agrees, rates its own invoicing honestly, and the
    #    client's own view does not contradict it.
    honest = {"invoicing_followup": (4, 80), "delivery_quality": (4, 75)}
    debtor = {"eternal_debtor": "Invoices 2031, 2040, 2052 still open; partial payments only."}
    _decided_review(
        lead,
        late.id,
        "Three invoices unpaid for 90 days; each month a small payment and a promise.",
        [
            (member, _response(catalogue, honest, complexity=2, choices=debtor, consent=consent))
            for member, consent in ((anna, True), (bela, False), (dora, False))
        ],
        {d.key: 4 for d in catalogue.dimensions},
        DecisionInput(
            {"eternal_debtor": "confirmed"},
            "All three members chose it independently, our invoicing was on time "
            "and the client agrees. We pause work until the debt is paid.",
        ),
        start=now - timedelta(days=30),
    )

    # 3. Open: two of three have answered; the lead sees who, not what.
    r3 = reviews.open_review(
        lead,
        ruler.id,
        "The client asks to approve every single post and "
        "rejects half of them the day before publishing.",
        [anna.id, carl.id, dora.id],
        now + timedelta(days=7),
        3,
        now,
    )
    for member in (anna, carl):
        reviews.save_response(
            r3.id,
            member,
            _response(catalogue, {}, choices={"controlling": "Approval on every post."}),
            True,
            now,
        )
    return [(email, role, DEMO_PASSWORD) for email, _, role in DEMO_USERS]
