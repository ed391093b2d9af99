"""`python -m bench.archive`: is the archive fast with 100,000 decisions?

Fills a throw-away SQLite database with bulk inserts (2,000 clients, 100,000 decided
reviews with three participants each, 100,000 decisions whose snapshots are real
domain output and whose digests form a valid chain), then reports medians over
repeated runs of the archive's own service functions: the list, each filter, the
text search, a member's scoped list, a decision's page data, a streamed export and
the full chain check.

Usage: python -m bench.archive [--decisions N] [--repeats N]. Always exits 0.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

CHUNK = 5_000
CLIENTS = 2_000
LEADS = 12
MEMBERS = 240
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


def median_ms(action: Callable[[], object], repeats: int) -> float:
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def _templates() -> list[tuple[dict, dict[str, str], bool]]:
    """Real snapshots from the domain: (snapshot, outcomes, one_sided) for a few situations."""
    from app.domain.catalogue import Catalogue
    from app.domain.catalogue_default import default_catalogue_document
    from app.domain.scoring import (
        CategoryChoice,
        ClientView,
        ReviewData,
        TeamAnswer,
        TeamResponse,
        score_review,
    )
    from app.domain.snapshot import build_snapshot, canonical_json
    from app.domain.thresholds import Thresholds
    from app.domain.verdict import evaluate_all

    catalogue = Catalogue.from_dict({**default_catalogue_document(), "version": 1})
    thresholds = Thresholds()
    situations = [
        ({"muddy": "confirmed"}, 4, False),
        ({"muddy": "not_confirmed", "eternal_debtor": "confirmed"}, 4, False),
        ({"controlling": "not_confirmed"}, 2, False),
        ({"non_responsive": "not_confirmed"}, None, True),
        ({}, 3, False),
    ]
    made = []
    for outcomes, client_rating, one_sided in situations:
        team = tuple(
            TeamResponse(
                respondent=f"Member {letter}",
                complexity=3,
                answers=tuple(TeamAnswer(d.key, 4, 80) for d in catalogue.dimensions),
                choices=tuple(CategoryChoice(key, "Seen in the e-mails.") for key in outcomes),
            )
            for letter in "ABC"
        )
        client = (
            None
            if client_rating is None
            else ClientView({d.key: client_rating for d in catalogue.dimensions})
        )
        data = ReviewData(catalogue, team, client, 3, "Unreachable." if one_sided else None)
        scores = score_review(data, thresholds)
        verdicts = evaluate_all(data, thresholds, list(outcomes)) if outcomes else ()
        snapshot = build_snapshot(
            scores=scores,
            verdicts=verdicts,
            conflict="",
            client_name="",
            decided_by="",
            decided_at="",
            rationale="",
            outcomes=outcomes,
            participants=[],
            one_sided=one_sided,
            waiver="Unreachable." if one_sided else None,
            thresholds=thresholds,
            catalogue_version=1,
        )
        snapshot["catalogue"] = {
            "dimensions": {
                d.key: {"title": d.title, "team_statement": d.team_statement}
                for d in catalogue.dimensions
            },
            "categories": {c.key: {"name": c.name} for c in catalogue.categories},
        }
        made.append((json.loads(canonical_json(snapshot)), outcomes, one_sided))
    return made


def _insert(target, rows: list[dict]) -> None:
    from sqlalchemy import insert

    from app.extensions import db

    for start in range(0, len(rows), CHUNK):
        db.session.execute(insert(target), rows[start : start + CHUNK])


def _decisions_table():
    """decisions with the snapshot as plain text: the bench hands over JSON it already wrote."""
    from sqlalchemy import Boolean, Integer, String, Text, column, table

    from app.models import UTCDateTime

    return table(
        "decisions",
        column("id", Integer),
        column("review_id", Integer),
        column("client_id", Integer),
        column("decided_by_id", Integer),
        column("decided_at", UTCDateTime()),
        column("rationale", Text),
        column("one_sided", Boolean),
        column("waiver_reason", Text),
        column("final_status", String),
        column("any_confirmed", Boolean),
        column("snapshot", Text),
        column("sequence", Integer),
        column("previous_digest", String),
        column("digest", String),
    )


def _canonical(snapshot: dict) -> str:
    """canonical_json for a snapshot whose values are already normalised (see _templates):
    the same text, without walking 12 kB of nested data again for every decision. The
    bench ends with verify-archive, which recomputes every digest the app's own way."""
    return json.dumps(
        snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def populate(count: int, rng: random.Random) -> None:
    from app.domain.snapshot import GENESIS_DIGEST
    from app.extensions import db
    from app.models import CategoryDecision, Client, Review, ReviewParticipant, User
    from app.services.catalogue import load_default_catalogue

    version_id = load_default_catalogue().id
    start = datetime(2020, 1, 1, tzinfo=UTC)
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
    _insert(
        Client,
        [
            {
                "id": i,
                "name": f"{rng.choice(WORDS).title()} {rng.choice(WORDS).title()} {i}",
                "status": "active",
            }
            for i in range(1, CLIENTS + 1)
        ],
    )
    templates = _templates()
    reviews, participants, decisions, categories = [], [], [], []
    previous = None
    for n in range(1, count + 1):
        when = start + timedelta(minutes=25 * n + rng.randint(0, 20))
        client_id, lead_id = rng.randint(1, CLIENTS), rng.randint(1, LEADS)
        conflict, rationale = rng.choice(CONFLICTS), rng.choice(RATIONALES)
        template, outcomes, one_sided = templates[n % len(templates)]
        final_status = "blacklisted" if "confirmed" in outcomes.values() else "active"
        reviews.append(
            {
                "id": n,
                "client_id": client_id,
                "lead_id": lead_id,
                "catalogue_version_id": version_id,
                "conflict": conflict,
                "deadline": when,
                "quorum": 3,
                "state": "decided",
                "opened_at": when - timedelta(days=7),
                "closed_at": when,
                "data_version": 1,
            }
        )
        for label, user_id in zip(
            "ABC", rng.sample(range(LEADS + 1, LEADS + MEMBERS + 1), 3), strict=True
        ):
            participants.append({"review_id": n, "user_id": user_id, "label": f"Member {label}"})
        snapshot = {
            **template,
            "client_name": f"Client {client_id}",
            "conflict": conflict,
            "decided_by": f"Person {lead_id}",
            "decided_at": when.isoformat(),
            "rationale": rationale,
            "review_id": n,
            "final_status": final_status,
            "respondents": 3,
            "client_source": None if one_sided else "link",
        }
        text = _canonical(snapshot)
        digest = hashlib.sha256(f"{previous or GENESIS_DIGEST}\n{text}".encode()).hexdigest()
        decisions.append(
            {
                "id": n,
                "review_id": n,
                "client_id": client_id,
                "decided_by_id": lead_id,
                "decided_at": when,
                "rationale": rationale,
                "one_sided": one_sided,
                "waiver_reason": snapshot["waiver"] or "",
                "final_status": final_status,
                "any_confirmed": final_status == "blacklisted",
                "snapshot": text,
                "sequence": n,
                "previous_digest": previous,
                "digest": digest,
            }
        )
        previous = digest
        votes = template["scores"]["votes"]
        categories += [
            {"decision_id": n, "category_key": key, "outcome": outcome, "votes": votes.get(key, 0)}
            for key, outcome in outcomes.items()
        ]
    for target, rows in (
        (Review, reviews),
        (ReviewParticipant, participants),
        (_decisions_table(), decisions),
        (CategoryDecision, categories),
    ):
        _insert(target, rows)
    db.session.commit()


def run(count: int, repeats: int, database: str | None = None) -> None:
    from app import create_app
    from app.extensions import db
    from app.models import Decision, User
    from app.services import archive, archive_export
    from app.services.archive import ArchiveFilters
    from app.services.archive_verify import verify_archive, verify_one

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(database) if database else Path(tmp) / "archive-bench.db"
        url = f"sqlite:///{path}"
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TESTING": True})
        with app.app_context():
            db.create_all()
            if db.session.get(Decision, 1) is None:
                began = time.perf_counter()
                populate(count, random.Random(6))  # noqa: S311 - reproducible data, not secrets
                print(
                    f"Inserted {count:,} decisions (with reviews, participants and category "
                    f"outcomes) in {time.perf_counter() - began:.1f} s.\n"
                )
            count = db.session.query(Decision).count()
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
            print(f"{'query (median of ' + str(repeats) + ' runs)':<50}{'ms':>10}")
            for name, action in cases:
                print(f"{name:<50}{median_ms(action, repeats):>10.1f}")
                db.session.expire_all()

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
            began = time.perf_counter()
            result = verify_archive()
            state = "intact" if result.ok else result.reason
            print(
                f"verify-archive over {result.checked:,} decisions: "
                f"{time.perf_counter() - began:.1f} s, {state}"
            )
            db.session.remove()
            db.engine.dispose()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--decisions", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--database", help="keep the SQLite file here (reused when filled)")
    args = parser.parse_args(argv)
    run(args.decisions, args.repeats, args.database)


if __name__ == "__main__":
    main()
