"""The shape of the archive benchmark's data (bench/archive.py): its sizes and texts, and
the few kinds of review ("situations") run once through the domain, whose records and
answer digests every generated decision shares. bench/archive_fill.py writes them."""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass
from types import SimpleNamespace

CHUNK = 5_000  # rows per INSERT statement batch
REVIEWS_PER_ROUND = 2_000  # reviews generated, inserted and dropped at a time (flat memory)
CLIENTS = 2_000
LEADS = 12
MEMBERS = 240
TEAM = "ABCDE"  # five members per review, "Member A" to "Member E"
WORDS = (
    "nordic widgets media bolt harbour studio bakery dental logistics fjord pixel solar "
    "garden motors textile atlas copper granite maple river summit velvet"
).split()
CONFLICTS = (
    "Unpaid invoices since spring.",
    "Endless feedback rounds on every post.",
    "Scope argument over the blog posts.",
    "Two managers gave opposite briefs.",
    "Client insists on keyword stuffing.",
    "Payment only once satisfied, never satisfied.",
)
RATIONALES = (
    "The team agreed and the client corroborated.",
    "Not enough agreement to confirm.",
    "Client unreachable; we decided without its view.",
    "Invoices were paid late again.",
    "We share the blame: the brief was never written down.",
)
EVIDENCE = (
    "Seen in the e-mails of March.",
    "Three briefs, each contradicting the last.",
    "The invoice of May was paid in September.",
    "Minutes of the kick-off meeting.",
    "Their reply to our reminder.",
)


# --- what one review looks like: a few situations, run through the domain once -----------


@dataclass(frozen=True)
class Member:
    complexity: int
    answers: tuple[tuple[str, int, int, str], ...]  # (dimension, rating, confidence, comment)
    choices: tuple[tuple[str, str], ...]  # (category, evidence)
    answers_json: str  # the sorted answers and choices as canonical JSON, written once
    choices_json: str


@dataclass(frozen=True)
class ClientPart:
    source: str  # "link" or "lead"
    quote: str
    comment: str
    answers: tuple[tuple[str, int, str], ...]  # (dimension, rating, comment)
    answers_json: str


@dataclass(frozen=True)
class Situation:
    """One kind of review: the members' answers, the client's, the decision taken on them,
    and the parts of its record that every decision of this kind shares, written once."""

    members: tuple[Member, ...]
    client: ClientPart | None  # None: no client view (one-sided, with the lead's waiver)
    outcomes: dict[str, str]
    votes: dict[str, int]
    one_sided: bool
    waiver: str | None
    final_status: str
    template: dict  # the domain's record, normalised; per-decision parts filled by _rows
    shared: dict[str, str]  # record key -> canonical JSON of its value, for the shared parts
    keys: tuple[str, ...]  # the record's keys in canonical order


# (wanted outcome per category, team rating on the wanted categories' questions, client
# rating, client source, waiver). An outcome the agreement rule does not allow is
# recorded as not confirmed, as the app would insist.
SITUATIONS = (
    ({"muddy": "confirmed"}, 4, 4, "link", None),
    ({"muddy": "not_confirmed", "eternal_debtor": "confirmed"}, 4, 4, "lead", None),
    ({"controlling": "not_confirmed"}, 4, 2, "link", None),
    ({"non_responsive": "not_confirmed"}, 3, None, None, "Client unreachable."),
    ({}, 3, 3, "link", None),
)
# What differs from one decision to the next; the rest of a record is its situation's.
PER_DECISION = (
    "review",
    "client",
    "decided_by",
    "decided_at",
    "rationale",
    "named",
    "evidence",
    "client_view",
    "client_words",
    "answers_digest",
)


_ENCODER = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
)


def canonical(value) -> str:
    """canonical_json's text for values that are already canonical (text, whole numbers,
    booleans, None, lists and dicts of them): the same settings, without its walk."""
    return _ENCODER.encode(value)


def situations(catalogue, thresholds) -> list[Situation]:
    """Each situation run once through the domain: scores, verdicts and the record."""
    from app.domain.decision_rules import CONFIRMED, NOT_CONFIRMED, check_decision
    from app.domain.record import build_record, record_text
    from app.domain.scoring import (
        CategoryChoice,
        ClientView,
        ReviewData,
        TeamAnswer,
        TeamResponse,
        score_review,
    )
    from app.domain.verdict import evaluate_all

    dimensions = [d.key for d in catalogue.dimensions]
    made = []
    for index, (wanted, team_rating, client_rating, source, waiver) in enumerate(SITUATIONS):
        rng = random.Random(100 + index)  # noqa: S311 - reproducible data, not secrets
        linked = {key for c in wanted for key in catalogue.category(c).dimension_keys}
        members = []
        for k in range(len(TEAM)):
            answers = tuple(
                (
                    key,
                    # The team agrees on what its chosen categories rest on, less elsewhere.
                    team_rating
                    if key in linked
                    else max(1, min(5, team_rating + rng.choice((-1, 0, 0, 1)))),
                    rng.choice((60, 70, 80, 80, 90, 100)),
                    "Their brief changed twice in one week." if (j + k) % 11 == 0 else "",
                )
                for j, key in enumerate(dimensions)
            )
            # Four of five members choose each wanted category (above the two-thirds bar).
            choices = tuple(
                (key, EVIDENCE[(k + i) % len(EVIDENCE)])
                for i, key in enumerate(sorted(wanted))
                if k != i % len(TEAM)
            )
            members.append(
                Member(
                    complexity=rng.choice((2, 3, 3, 4)),
                    answers=answers,
                    choices=choices,
                    answers_json=canonical(sorted(answers)),
                    choices_json=canonical(sorted(choices)),
                )
            )
        client = None
        if source is not None:
            answers = tuple(
                (key, client_rating, "Late." if j == 1 else "") for j, key in enumerate(dimensions)
            )
            client = ClientPart(
                source=source,
                quote="Client's e-mail of 3 March, quoted in full." if source == "lead" else "",
                comment="We think the work was late." if index % 2 else "",
                answers=answers,
                answers_json=canonical(sorted(answers)),
            )
        data = ReviewData(
            catalogue=catalogue,
            team=tuple(
                TeamResponse(
                    respondent=f"Member {label}",
                    complexity=member.complexity,
                    answers=tuple(TeamAnswer(*a) for a in member.answers),
                    choices=tuple(CategoryChoice(*c) for c in member.choices),
                )
                for label, member in zip(TEAM, members, strict=True)
            ),
            client=None
            if client is None
            else ClientView(
                {key: rating for key, rating, _ in client.answers},
                source=source,
                recorded_by=None,  # the lead's name, per decision (see _rows)
                quote=client.quote or None,
            ),
            quorum=3,
            waiver_reason=waiver,
            complexity_floor=3,
        )
        scores = score_review(data, thresholds)
        voted = [key for key in catalogue.category_keys if scores.votes.get(key, 0) > 0]
        verdicts = evaluate_all(data, thresholds, voted) if voted else ()
        confirmable = {v.category_key for v in verdicts if v.confirmable}
        outcomes = {
            key: CONFIRMED if wanted.get(key) == CONFIRMED and key in confirmable else NOT_CONFIRMED
            for key in voted
        }
        check_decision(verdicts, outcomes, "x", waiver or "", client is not None)
        confirmed = {k for k, o in outcomes.items() if o == CONFIRMED}
        one_sided = client is None or any(
            v.one_sided for v in verdicts if v.category_key in confirmed
        )
        final_status = "blacklisted" if confirmed else "active"
        comments: dict[str, list[str]] = {}
        for member in members:
            for key, _, _, comment in member.answers:
                if comment:
                    comments.setdefault(key, []).append(comment)
        record = build_record(
            review={},
            client={},
            decided_by={},
            decided_at="",
            rationale="",
            outcomes=outcomes,
            waiver=waiver,
            one_sided=one_sided,
            final_status=final_status,
            data=data,
            scores=scores,
            verdicts=verdicts,
            thresholds=thresholds,
            catalogue=catalogue,
            named=(),
            evidence={},
            comments={key: sorted(texts) for key, texts in comments.items()},
            client_words=None,
            raw_answers_digest="",
        )
        template = json.loads(record_text(record))
        made.append(
            Situation(
                members=tuple(members),
                client=client,
                outcomes=outcomes,
                votes=dict(scores.votes),
                one_sided=one_sided,
                waiver=waiver,
                final_status=final_status,
                template=template,
                shared={k: canonical(v) for k, v in template.items() if k not in PER_DECISION},
                keys=tuple(sorted(template)),
            )
        )
    if not any(CONFIRMED in s.outcomes.values() for s in made):
        raise RuntimeError("bench data: no situation confirms anything; adjust SITUATIONS")
    return made


def record_text_of(situation: Situation, parts: dict) -> str:
    """canonical_json of the record: its situation's shared parts as written once, the
    decision's own parts written now, in canonical_json's key order. `populate` checks
    it against the app's own `record_text` on a sample; verify-archive checks every seal."""
    shared, items = situation.shared, []
    for key in situation.keys:  # plain names: their JSON is the name in quotes
        items.append(f'"{key}":{shared[key] if key in shared else canonical(parts[key])}')
    return "{" + ",".join(items) + "}"


def answers_digest_of(team: list[tuple[int, Member, bool]], client, recorded_by) -> str:
    """answers_digest of the review's raw answer rows (app/services/review_data.py:
    raw_answer_rows), from the members' answers written once per situation: each row's
    canonical JSON, sorted, joined. `populate` checks it against the app's own functions
    on a sample."""
    texts = [
        f'{{"answers":{m.answers_json},"choices":{m.choices_json},"complexity":{m.complexity},'
        f'"named":{canonical(named)},"status":"submitted","team":{user}}}'
        for user, m, named in team
    ]
    if client is not None:
        texts.append(
            f'{{"answers":{client.answers_json},"client":{canonical(client.source)},'
            f'"comment":{canonical(client.comment)},"quote":{canonical(client.quote)},'
            f'"recorded_by":{canonical(recorded_by)}}}'
        )
    texts.sort()
    return hashlib.sha256(("[" + ",".join(texts) + "]").encode("utf-8")).hexdigest()


def app_answers_digest_of(team: list[tuple[int, Member, bool]], client, recorded_by) -> str:
    """The same digest the app's way: its raw_answer_rows over objects like its rows."""
    from app.domain.record import answers_digest
    from app.services.review_data import raw_answer_rows

    review = SimpleNamespace(
        responses=[
            SimpleNamespace(
                user_id=user,
                status="submitted",
                complexity=m.complexity,
                consent_named=named,
                answers=[
                    SimpleNamespace(dimension_key=d, rating=r, confidence=c, comment=t)
                    for d, r, c, t in m.answers
                ],
                choices=[SimpleNamespace(category_key=k, evidence=e) for k, e in m.choices],
            )
            for user, m, named in team
        ]
    )
    row = None
    if client is not None:
        row = SimpleNamespace(
            source=client.source,
            source_quote=client.quote,
            comment=client.comment,
            recorded_by_id=recorded_by,
            answers=[
                SimpleNamespace(dimension_key=d, rating=r, comment=t) for d, r, t in client.answers
            ],
        )
    return answers_digest(raw_answer_rows(review, row))
