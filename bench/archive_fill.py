"""Filling the archive benchmark's SQLite database (bench/archive.py) with bulk inserts,
shaped the way the app writes it (app/services/decisions.py): reviews with their teams'
answers and the client's view, sealed decisions with their category outcomes and audit
events, a round of reviews at a time (flat memory)."""

from __future__ import annotations

import hashlib
import json
import random
from datetime import UTC, datetime, timedelta

from bench.archive_situations import (
    CHUNK,
    CLIENTS,
    CONFLICTS,
    LEADS,
    MEMBERS,
    RATIONALES,
    REVIEWS_PER_ROUND,
    TEAM,
    WORDS,
    Situation,
    answers_digest_of,
    app_answers_digest_of,
    record_text_of,
    situations,
)

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
        "answers_digest": answers_digest_of(team, client, recorder),
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
        assert parts["answers_digest"] == app_answers_digest_of(team, client, recorder), (
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
    kinds = situations(catalogue_of(version), current_thresholds())
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
        "situations": kinds,
    }
    previous = None
    for first in range(1, count + 1, REVIEWS_PER_ROUND):
        out: dict[str, list] = {name: [] for name in models}
        for n in range(first, min(first + REVIEWS_PER_ROUND, count + 1)):
            situation = kinds[n % len(kinds)]
            made = _rows(n, rng, situation, ctx, out)
            record_parts, when = made["parts"], made["when"]
            sealed_text = record_text_of(situation, record_parts)
            if n <= len(kinds) or n % 997 == 0:
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
