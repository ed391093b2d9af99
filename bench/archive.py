"""`python -m bench.archive`: is the archive fast with 100,000 decisions?

Fills a throw-away SQLite database with bulk inserts, shaped the way the app writes it
(app/services/decisions.py): 2,000 clients; 100,000 reviews in state 'decided', each with
a team of five who answered the 13 questions of the default catalogue (team answers,
category choices with evidence, a few comments), the client's view (through its link or
recorded by the lead) or none (one-sided, with the lead's waiver); and 100,000 decisions
of schema 2, each with its record built by `build_record` (real domain output: scores
and verdicts of `score_review` / `evaluate_all`), stored as its exact `record_text`,
sealed with the HMAC chain over the previous seal and the row's own columns, with its
`category_decisions` rows and its `review.decided` audit event. Every record holds the
`answers_digest` of its review's real answer rows, so `verify-archive` checks them all.

It then reports medians over repeated runs of the archive's own service functions (the
list, each filter, the text search, a member's scoped list, a decision's page data, a
streamed export) and times `verify_archive()` over the whole archive, beside a baseline
measured in the same run and the machine's load, so the figure says something on a
slower or busier machine too.

Usage: python -m bench.archive [--decisions N] [--repeats N] [--database FILE].
Always exits 0: it reports, CI decides.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import os
import random
import secrets
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

CHUNK = 5_000  # rows per INSERT statement batch
REVIEWS_PER_ROUND = 2_000  # reviews generated, inserted and dropped at a time (flat memory)
CLIENTS = 2_000
LEADS = 12
MEMBERS = 240
TEAM = "ABCDE"  # five members per review, "Member A" to "Member E"
VERIFY_TARGET_S = 10.0
QUERY_TARGET_MS = 20.0  # every list, filter and search at 100,000 decisions
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


def median_ms(action: Callable[[], object], repeats: int) -> float:
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


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


def _json(value) -> str:
    """canonical_json's text for values that are already canonical (text, whole numbers,
    booleans, None, lists and dicts of them): the same settings, without its walk."""
    return _ENCODER.encode(value)


def _situations(catalogue, thresholds) -> list[Situation]:
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
                    answers_json=_json(sorted(answers)),
                    choices_json=_json(sorted(choices)),
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
                answers_json=_json(sorted(answers)),
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
                shared={k: _json(v) for k, v in template.items() if k not in PER_DECISION},
                keys=tuple(sorted(template)),
            )
        )
    if not any(CONFIRMED in s.outcomes.values() for s in made):
        raise RuntimeError("bench data: no situation confirms anything; adjust SITUATIONS")
    return made


def _record_text(situation: Situation, parts: dict) -> str:
    """canonical_json of the record: its situation's shared parts as written once, the
    decision's own parts written now, in canonical_json's key order. `populate` checks
    it against the app's own `record_text` on a sample; verify-archive checks every seal."""
    shared, items = situation.shared, []
    for key in situation.keys:  # plain names: their JSON is the name in quotes
        items.append(f'"{key}":{shared[key] if key in shared else _json(parts[key])}')
    return "{" + ",".join(items) + "}"


def _answers_digest(team: list[tuple[int, Member, bool]], client, recorded_by) -> str:
    """answers_digest of the review's raw answer rows (app/services/review_data.py:
    raw_answer_rows), from the members' answers written once per situation: each row's
    canonical JSON, sorted, joined. `populate` checks it against the app's own functions
    on a sample."""
    texts = [
        f'{{"answers":{m.answers_json},"choices":{m.choices_json},"complexity":{m.complexity},'
        f'"named":{_json(named)},"status":"submitted","team":{user}}}'
        for user, m, named in team
    ]
    if client is not None:
        texts.append(
            f'{{"answers":{client.answers_json},"client":{_json(client.source)},'
            f'"comment":{_json(client.comment)},"quote":{_json(client.quote)},'
            f'"recorded_by":{_json(recorded_by)}}}'
        )
    texts.sort()
    return hashlib.sha256(("[" + ",".join(texts) + "]").encode("utf-8")).hexdigest()


def _app_answers_digest(team: list[tuple[int, Member, bool]], client, recorded_by) -> str:
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


# --- bulk inserts ---------------------------------------------------------------------------


def _insert(target, rows: list[dict]) -> None:
    """Rows as dicts, through SQLAlchemy (its types write the datetimes)."""
    from sqlalchemy import insert

    from app.extensions import db

    table = getattr(target, "__table__", target)
    for start in range(0, len(rows), CHUNK):
        db.session.execute(insert(table), rows[start : start + CHUNK])


def _insert_plain(table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Rows as tuples straight to the driver (SQLite's "?" placeholders): for the tables of
    millions of rows with no datetimes, where building dicts cost more than inserting."""
    from app.extensions import db

    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608 - our own constant names
        f"VALUES ({', '.join('?' * len(columns))})"
    )
    connection = db.session.connection()
    for start in range(0, len(rows), CHUNK * 4):
        connection.exec_driver_sql(sql, rows[start : start + CHUNK * 4])


PLAIN = {
    "review_participants": ("review_id", "user_id", "label"),
    "team_answers": ("response_id", "dimension_key", "rating", "confidence", "comment"),
    "category_choices": ("response_id", "category_key", "evidence"),
    "client_answers": ("client_response_id", "dimension_key", "rating", "comment"),
    "category_decisions": ("decision_id", "category_key", "outcome", "votes"),
}


def _rows(n: int, rng: random.Random, situation: Situation, ctx: dict, out: dict) -> dict:
    """Review n with its answers and client view appended to `out` (table -> rows); returns
    its decision's own values: the record's per-decision parts and the row's columns."""
    start: datetime = ctx["start"]
    when = start + timedelta(minutes=25 * n + rng.randint(0, 20))
    client_id, lead_id = rng.randint(1, CLIENTS), rng.randint(1, LEADS)
    lead_name = f"Person {lead_id}"
    conflict, rationale = rng.choice(CONFLICTS), rng.choice(RATIONALES)
    users = rng.sample(range(LEADS + 1, LEADS + MEMBERS + 1), len(TEAM))
    named_member = n % 4 == 0  # every fourth review, Member A agreed to be named
    opened, closed = when - timedelta(days=7), when - timedelta(hours=2)
    out["reviews"].append(
        {
            "id": n,
            "client_id": client_id,
            "lead_id": lead_id,
            "catalogue_version_id": ctx["version_id"],
            "conflict": conflict,
            "deadline": closed,
            "quorum": 3,
            "state": "decided",
            "complexity_floor": 3,
            "opened_at": opened,
            "closed_at": closed,
            "closed_by_id": lead_id,
            "data_version": len(TEAM) + 2,
        }
    )
    team = []
    evidence: dict[str, list[tuple[str | None, str]]] = {}
    for k, (label, user_id, member) in enumerate(zip(TEAM, users, situation.members, strict=True)):
        response_id = (n - 1) * len(TEAM) + k + 1
        named = named_member and k == 0
        team.append((user_id, member, named))
        out["review_participants"].append((n, user_id, f"Member {label}"))
        submitted = opened + timedelta(hours=6 + 12 * k)
        out["team_responses"].append(
            {
                "id": response_id,
                "review_id": n,
                "user_id": user_id,
                "status": "submitted",
                "complexity": member.complexity,
                "consent_named": named,
                "updated_at": submitted,
                "submitted_at": submitted,
            }
        )
        out["team_answers"] += [(response_id, *answer) for answer in member.answers]
        out["category_choices"] += [(response_id, *choice) for choice in member.choices]
        for key, text in member.choices:
            evidence.setdefault(key, []).append((f"Person {user_id}" if named else None, text))
    client = situation.client
    recorder = lead_id if client is not None and client.source == "lead" else None
    parts = {
        "review": {
            "id": n,
            "conflict": conflict,
            "quorum": 3,
            "complexity_floor": 3,
            "opened_at": opened.isoformat(),
            "closed_at": closed.isoformat(),
        },
        "client": {"id": client_id, "name": ctx["client_names"][client_id]},
        "decided_by": {"id": lead_id, "name": lead_name},
        "decided_at": when.isoformat(),
        "rationale": rationale,
        "named": [f"Person {users[0]}"] if named_member else [],
        # as the app's evidence_of: sorted by text, so the order names nobody
        "evidence": {
            key: [[name, text] for name, text in sorted(items, key=lambda item: item[1])]
            for key, items in evidence.items()
        },
        "client_view": None,
        "client_words": None,
        "answers_digest": _answers_digest(team, client, recorder),
    }
    if client is not None:
        heard = closed - timedelta(hours=3)
        if client.source == "link":
            out["client_links"].append(
                {
                    "id": n,
                    "review_id": n,
                    "token_hash": hashlib.sha256(f"bench-{n}".encode()).hexdigest(),
                    "expires_at": opened + timedelta(days=14),
                    "used_at": heard,
                    "sent_to": f"contact{client_id}@client.example",
                    "created_by_id": lead_id,
                    "created_at": opened,
                }
            )
        out["client_responses"].append(
            {
                "id": n,
                "review_id": n,
                "source": client.source,
                "link_id": n if client.source == "link" else None,
                "recorded_by_id": recorder,
                "source_quote": client.quote,
                "comment": client.comment,
                "submitted_at": heard,
            }
        )
        out["client_answers"] += [(n, *answer) for answer in client.answers]
        parts["client_view"] = {
            **situation.template["client_view"],
            "recorded_by": lead_name if recorder else None,
        }
        parts["client_words"] = {
            "source": client.source,
            "submitted_at": heard.isoformat(),
            "recorded_by": lead_name if recorder else None,
            "quote": client.quote,
            "comment": client.comment,
            "answers": {key: text for key, _, text in client.answers if text},
        }
    if n <= len(ctx["situations"]) or n % 997 == 0:
        assert parts["answers_digest"] == _app_answers_digest(team, client, recorder), (
            "bench answers digest differs from the app's answers_digest(raw_answer_rows())"
        )
    return {
        "parts": parts,
        "when": when,
        "client_id": client_id,
        "lead_id": lead_id,
        "rationale": rationale,
    }


def populate(count: int, rng: random.Random) -> None:
    from sqlalchemy import text

    from app.domain.decision_rules import CONFIRMED
    from app.domain.names import name_key
    from app.domain.record import RowFacts, record_text, seal
    from app.extensions import db
    from app.models import (
        AuditEvent,
        Client,
        ClientLink,
        ClientResponseRow,
        Decision,
        Review,
        TeamResponseRow,
        User,
    )
    from app.services.catalogue import catalogue_of, load_default_catalogue
    from app.services.records import archive_key
    from app.services.thresholds import current_thresholds

    # A throw-away file: no need to wait for the disk on every commit while filling it.
    db.session.execute(text("PRAGMA synchronous=OFF"))
    version = load_default_catalogue()
    situations = _situations(catalogue_of(version), current_thresholds())
    key = archive_key()
    _insert(
        User,
        [
            {
                "id": i,
                "email": f"user{i}@bench.example",
                "name": f"Person {i}",
                "role": "lead" if i <= LEADS else "member",
                "password_hash": "x",
                "session_nonce": "x",
            }
            for i in range(1, LEADS + MEMBERS + 1)
        ],
    )
    client_names = {
        i: f"{rng.choice(WORDS).title()} {rng.choice(WORDS).title()} {i}"
        for i in range(1, CLIENTS + 1)
    }
    _insert(
        Client,
        [
            {"id": i, "name": name, "name_key": name_key(name), "status": "active"}
            for i, name in client_names.items()
        ],
    )
    db.session.commit()
    # Parents before children.
    models = {
        "reviews": Review,
        "review_participants": None,
        "team_responses": TeamResponseRow,
        "team_answers": None,
        "category_choices": None,
        "client_links": ClientLink,
        "client_responses": ClientResponseRow,
        "client_answers": None,
        "decisions": Decision,
        "category_decisions": None,
        "audit_events": AuditEvent,
    }
    ctx = {
        "start": datetime(2020, 1, 1, tzinfo=UTC),
        "version_id": version.id,
        "client_names": client_names,
        "situations": situations,
    }
    previous = None
    for first in range(1, count + 1, REVIEWS_PER_ROUND):
        out: dict[str, list] = {name: [] for name in models}
        for n in range(first, min(first + REVIEWS_PER_ROUND, count + 1)):
            situation = situations[n % len(situations)]
            made = _rows(n, rng, situation, ctx, out)
            record_parts, when = made["parts"], made["when"]
            sealed_text = _record_text(situation, record_parts)
            if n <= len(situations) or n % 997 == 0:
                record = {**situation.template, **record_parts}
                assert sealed_text == record_text(record), "bench record differs from record_text"
            confirmed = sorted(k for k, o in situation.outcomes.items() if o == CONFIRMED)
            facts = RowFacts(
                sequence=n,
                review_id=n,
                client_id=made["client_id"],
                decided_by_id=made["lead_id"],
                decided_at=when.isoformat(),
                final_status=situation.final_status,
                rationale=made["rationale"],
                waiver=situation.waiver or "",
                one_sided=situation.one_sided,
                outcomes={k: (o, situation.votes.get(k, 0)) for k, o in situation.outcomes.items()},
            )
            digest = seal(key, previous, facts, sealed_text)
            out["decisions"].append(
                {
                    "id": n,
                    "review_id": n,
                    "client_id": made["client_id"],
                    "decided_by_id": made["lead_id"],
                    "decided_at": when,
                    "rationale": made["rationale"],
                    "one_sided": situation.one_sided,
                    "waiver_reason": situation.waiver or "",
                    "final_status": situation.final_status,
                    "any_confirmed": bool(confirmed),
                    "record_text": sealed_text,
                    "sequence": n,
                    "previous_digest": previous,
                    "digest": digest,
                }
            )
            previous = digest
            out["category_decisions"] += [
                (n, k, o, situation.votes.get(k, 0)) for k, o in sorted(situation.outcomes.items())
            ]
            out["audit_events"].append(
                {
                    "at": when,
                    "actor_id": made["lead_id"],
                    "actor_label": f"user{made['lead_id']}@bench.example",
                    "action": "review.decided",
                    "object_type": "review",
                    "object_id": n,
                    # as app.services.audit.record writes it for decide_review
                    "details": json.dumps(
                        {
                            "decision_id": n,
                            "sequence": n,
                            "confirmed": confirmed,
                            "one_sided": situation.one_sided,
                        },
                        sort_keys=True,
                        default=str,
                    ),
                }
            )
        for name, model in models.items():
            if model is None:
                _insert_plain(name, PLAIN[name], out[name])
            else:
                _insert(model, out[name])
        db.session.commit()


# --- the baseline and the measurements -----------------------------------------------------


def _search_index() -> None:
    """The archive's search index, as the migration makes it (create_all does not); a
    database filled before it existed is indexed once here."""
    from sqlalchemy import text

    from app.extensions import db
    from app.models.search_index import install_search_index

    with db.engine.begin() as connection:
        install_search_index(connection)
        empty = connection.scalar(text("SELECT count(*) FROM decision_search")) == 0
        filled = connection.scalar(text("SELECT count(*) FROM decisions")) > 0
        if empty and filled:
            install_search_index(connection, backfill=True)


def baseline_seconds() -> float:
    """The floor under verify-archive, measured in the same run: read every decision's
    record text and seal, and HMAC them once, with no other check. verify-archive's ratio
    to it says what its checks cost on this machine, whatever its speed or load."""
    from sqlalchemy import select

    from app.extensions import db
    from app.models import Decision

    key = secrets.token_bytes(32)
    began = time.perf_counter()
    query = select(Decision.digest, Decision.record_text).order_by(Decision.sequence)
    for rows in db.session.connection().execute(query).partitions(1000):
        for digest, text in rows:
            hmac.new(key, f"{digest}\n{text}".encode(), hashlib.sha256).hexdigest()
    return time.perf_counter() - began


def load() -> str:
    try:
        one, five, _ = os.getloadavg()
    except OSError:
        return "load unknown"
    return f"load average {one:.1f} / {five:.1f} (1 / 5 min) on {os.cpu_count()} CPUs"


def run(count: int, repeats: int, database: str | None = None, verify: bool = True) -> None:
    # Set before the app is created, so it writes no key files to instance/. The archive
    # key of a throw-away database is no secret; a fixed one lets --database be reused.
    os.environ.setdefault("SECRET_KEY", secrets.token_hex(32))
    os.environ.setdefault("ARCHIVE_KEY", "bench-archive-key-" + "0" * 32)
    from app import create_app
    from app.extensions import db
    from app.models import Decision, User
    from app.services import archive, archive_export
    from app.services.archive_query import ArchiveFilters
    from app.services.archive_verify import verify_archive, verify_one

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(database) if database else Path(tmp) / "archive-bench.db"
        url = f"sqlite:///{path}"
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
        with app.app_context():
            db.create_all()
            _search_index()
            if db.session.get(Decision, 1) is None:
                began = time.perf_counter()
                populate(count, random.Random(6))  # noqa: S311 - reproducible data, not secrets
                print(
                    f"Inserted {count:,} sealed decisions (with their reviews, five members' "
                    f"answers each, the client's view, category outcomes and audit events) in "
                    f"{time.perf_counter() - began:.1f} s; {path.stat().st_size / 2**30:.2f} GiB."
                )
            count = db.session.query(Decision).count()
            print(f"{load()}.\n")
            lead = db.session.get(User, 1)
            member = db.session.get(User, LEADS + 1)
            pages = archive.list_decisions(lead, ArchiveFilters()).pages
            middle = db.session.get(Decision, count // 2).id

            def decision_page() -> None:
                decision = archive.find_decision(middle, lead)
                archive.same_client(decision, lead)
                verify_one(decision)

            month = date(2021, 6, 1), date(2021, 6, 30)
            cases: list[tuple[str, Callable[[], object]]] = [
                ("list, page 1", lambda: archive.list_decisions(lead, ArchiveFilters())),
                (
                    f"list, last page ({pages:,})",
                    lambda: archive.list_decisions(lead, ArchiveFilters(), pages),
                ),
                (
                    "filter: one client",
                    lambda: archive.list_decisions(lead, ArchiveFilters(client_id=17)),
                ),
                (
                    "filter: category + confirmed",
                    lambda: archive.list_decisions(
                        lead, ArchiveFilters(category_key="muddy", outcome="confirmed")
                    ),
                ),
                (
                    "filter: one-sided",
                    lambda: archive.list_decisions(lead, ArchiveFilters(outcome="one_sided")),
                ),
                (
                    "filter: decided by one lead",
                    lambda: archive.list_decisions(lead, ArchiveFilters(lead_id=3)),
                ),
                (
                    "filter: one month",
                    lambda: archive.list_decisions(
                        lead, ArchiveFilters(date_from=month[0], date_to=month[1])
                    ),
                ),
                (
                    "filter: client + lead + month",
                    lambda: archive.list_decisions(
                        lead,
                        ArchiveFilters(
                            client_id=17,
                            lead_id=3,
                            date_from=date(2020, 1, 1),
                            date_to=date(2030, 1, 1),
                        ),
                    ),
                ),
                (
                    "search: client name word",
                    lambda: archive.list_decisions(lead, ArchiveFilters(q="harbour")),
                ),
                (
                    "search: two words",
                    lambda: archive.list_decisions(lead, ArchiveFilters(q="unpaid spring")),
                ),
                (
                    "search: no match",
                    lambda: archive.list_decisions(lead, ArchiveFilters(q="zzzz-nothing")),
                ),
                (
                    "search + filter (one lead)",
                    lambda: archive.list_decisions(lead, ArchiveFilters(q="late", lead_id=3)),
                ),
                ("member's list, page 1", lambda: archive.list_decisions(member, ArchiveFilters())),
                ("decision page data (find, same client, verify)", decision_page),
                (
                    "CSV export, one client",
                    lambda: "".join(
                        archive_export.csv_chunks(
                            archive_export.export_rows(lead, ArchiveFilters(client_id=17))
                        )
                    ),
                ),
            ]
            print(f"{'query (median of ' + str(repeats) + ' runs)':<50}{'ms':>10}  target")
            for name, action in cases:
                ms = median_ms(action, repeats)
                verdict = (
                    ""
                    if name.startswith(("decision page", "CSV"))
                    else (
                        f"<= {QUERY_TARGET_MS:g} ms {'ok' if ms <= QUERY_TARGET_MS else 'MISSED'}"
                    )
                )
                print(f"{name:<50}{ms:>10.1f}  {verdict}".rstrip())
                db.session.expire_all()

            if not verify:
                db.session.remove()
                db.engine.dispose()
                return
            tracemalloc.start()
            began = time.perf_counter()
            size = sum(
                len(chunk)
                for chunk in archive_export.csv_chunks(
                    archive_export.export_rows(lead, ArchiveFilters())
                )
            )
            seconds = time.perf_counter() - began
            peak = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
            print(
                f"\nFull CSV export: {count:,} rows, {size / 2**20:.1f} MiB of text in "
                f"{seconds:.1f} s (traced, slower than untraced); peak Python memory "
                f"{peak:.1f} MiB."
            )
            db.session.expire_all()
            before = baseline_seconds()
            timed = []
            for label, answers in (("--quick", False), ("(full)", True)):
                began, cpu = time.perf_counter(), time.process_time()
                result = verify_archive(answers=answers)
                timed.append(
                    (label, result, time.perf_counter() - began, time.process_time() - cpu)
                )
                db.session.expire_all()
            after = baseline_seconds()
            baseline = (before + after) / 2
            print(
                f"Baseline, reading every record and seal and HMAC-ing it once: {before:.1f} s "
                f"before, {after:.1f} s after. {load()}."
            )
            for label, result, seconds, cpu in timed:
                state = "intact" if result.ok else result.reason
                verdict = "ok" if seconds < VERIFY_TARGET_S else "over"
                print(
                    f"verify-archive {label} over {result.checked:,} decisions: {seconds:.1f} s "
                    f"({cpu:.1f} s CPU; {VERIFY_TARGET_S:g} s target: {verdict}), {state}; "
                    f"/ baseline: {seconds / baseline:.1f}x."
                )
            db.session.remove()
            db.engine.dispose()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--decisions", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument(
        "--no-verify", action="store_true", help="skip the verify-archive timings (minutes)"
    )
    parser.add_argument(
        "--database",
        help="keep the SQLite file here (reused when filled, with the same ARCHIVE_KEY)",
    )
    args = parser.parse_args(argv)
    run(args.decisions, args.repeats, args.database, not args.no_verify)


if __name__ == "__main__":
    main()
