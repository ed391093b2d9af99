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
streamed export), in wall-clock and in CPU time, and times `verify_archive()` over the
whole archive, beside a baseline measured in the same run and the machine's load, so the
figure says something on a slower or busier machine too.

The data's shape is bench/archive_situations.py, its generation bench/archive_fill.py,
the export and verify timings bench/archive_verify_timing.py.

Usage: python -m bench.archive [--decisions N] [--repeats N] [--database FILE]
[--no-verify]. Always exits 0: it reports, CI decides.
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from bench.archive_fill import populate
from bench.archive_schema import add_missing_indexes
from bench.archive_situations import LEADS
from bench.archive_verify_timing import time_export_and_verify
from bench.common import load, median_ms

QUERY_TARGET_MS = 20.0  # every list, filter and search at 100,000 decisions


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
    from app.services.archive_verify import verify_one

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(database) if database else Path(tmp) / "archive-bench.db"
        url = f"sqlite:///{path}"
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
        with app.app_context():
            db.create_all()
            add_missing_indexes()
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
                (
                    "search + filter (confirmed)",
                    lambda: archive.list_decisions(
                        lead, ArchiveFilters(q="late", outcome="confirmed")
                    ),
                ),
                ("member's list, page 1", lambda: archive.list_decisions(member, ArchiveFilters())),
                (
                    "member's search",
                    lambda: archive.list_decisions(member, ArchiveFilters(q="harbour")),
                ),
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
                # SQLite works in this process: its CPU time is what a busy machine's wall
                # clock hides.
                cpu = median_ms(action, repeats, clock=time.process_time)
                verdict = (
                    ""
                    if name.startswith(("decision page", "CSV"))
                    else (
                        f"<= {QUERY_TARGET_MS:g} ms {'ok' if ms <= QUERY_TARGET_MS else 'MISSED'}"
                    )
                )
                print(f"{name:<50}{ms:>10.1f}  {verdict}  (CPU {cpu:.1f} ms)")
                db.session.expire_all()

            if verify:
                time_export_and_verify(lead, count)
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
