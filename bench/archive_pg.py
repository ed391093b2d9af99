"""`python -m bench.archive_pg`: the archive's lists, filters and searches on PostgreSQL at
100,000 and 1,000,000 decisions.

The rows are generated inside PostgreSQL (`generate_series`), shaped as bench/archive.py
shapes them for SQLite: 2,000 clients, 12 leads and 240 members, one decided review per
decision with five participants, a decision per review (rationale, one-sided or not,
category outcomes in the same five situations, a record text of about 26 kB that
PostgreSQL compresses and keeps out of line, as it does real records), and the search
index filled the way the migration fills it. Answer rows are left out: no archive list,
filter or search reads them (verify-archive, which does, is measured by bench/archive.py).
The generation time is printed. Then each case runs through the archive's own service
functions, median of --repeats runs, beside its target (<= 20 ms at 100,000, <= 50 ms at
1,000,000) and the machine's load. Each run ends as a request does (its transaction
rolled back, the signed-in user loaded afresh before the next, outside the timing): run
after run in one transaction, psycopg would prepare the statements and PostgreSQL switch
to plans made for any value, which no request meets (psycopg deallocates at every
rollback). Beside each median, the CPU time a run took in this process and in its
PostgreSQL backend (when the server runs on this machine): what a busy machine's wall
clock hides.

Usage: BENCH_DATABASE_URL=postgresql://.../candor_16_big python -m bench.archive_pg
[--decisions N ...] [--repeats N] [--keep]. Each size lives in a schema of its own
(`archive_100000`, ...), so both sizes can be kept side by side; a schema's tables are
dropped and made afresh unless --keep finds it filled with N decisions, and a kept schema
gets any index the models name that it lacks and the latest search table (so it matches a
migrated database).
Always exits 0.
"""

from __future__ import annotations

import argparse
import os
import secrets
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from bench.archive_schema import add_missing_indexes, upgrade_search_index
from bench.common import load, median_ms

TARGETS_MS = {100_000: 20.0, 1_000_000: 50.0}
CLIENTS, LEADS, MEMBERS = 2_000, 12, 240

# One statement per table; :n is the number of decisions.
FILL = [
    """INSERT INTO users (id, email, name, role, active, password_hash, session_nonce, created_at)
    SELECT i, 'user' || i || '@bench.example', 'Person ' || i,
           CASE WHEN i <= 12 THEN 'lead' ELSE 'member' END, true, 'x', 'x', now()
    FROM generate_series(1, 252) i""",
    # name_key is lower(name): the names are plain ASCII (app/domain/names.py).
    """INSERT INTO clients (id, name, name_key, contact_name, contact_email, notes, status,
                         created_at)
    SELECT i, n, lower(n), '', '', '', 'active', now() FROM (
        SELECT i, (ARRAY['Nordic','Widgets','Media','Bolt','Harbour','Studio','Bakery',
                         'Dental','Logistics','Fjord','Pixel','Solar','Garden','Motors',
                         'Textile','Atlas','Copper','Granite','Maple','River','Summit',
                         'Velvet'])[1 + i % 22]
                  || ' ' || (ARRAY['Works','Group','House','Partners','Lab'])[1 + i % 5]
                  || ' ' || i AS n
        FROM generate_series(1, 2000) i) AS named""",
    """INSERT INTO catalogue_versions (id, version, document, created_at)
    VALUES (1, 1, '{}', now())""",
    """INSERT INTO reviews (id, client_id, lead_id, catalogue_version_id, conflict, deadline,
                         quorum, state, complexity_floor, opened_at, closed_at, data_version)
    SELECT i, 1 + (i::bigint * 7919) % 2000, 1 + i % 12, 1,
           (ARRAY['Unpaid invoices since spring.', 'Endless feedback rounds on every post.',
                  'Scope argument over the blog posts.', 'Two managers gave opposite briefs.',
                  'Client insists on keyword stuffing.',
                  'Payment only once satisfied, never satisfied.'])[1 + i % 6],
           timestamptz '2020-01-01' + i * interval '25 minutes' + interval '7 days',
           3, 'decided', 3,
           timestamptz '2020-01-01' + i * interval '25 minutes' - interval '5 days',
           timestamptz '2020-01-01' + i * interval '25 minutes' - interval '1 day', 6
    FROM generate_series(1, :n) i""",
    """INSERT INTO review_participants (review_id, user_id, label)
    SELECT i, 13 + (i * 5 + k) % 240, 'Member ' || chr(64 + k)
    FROM generate_series(1, :n) i, generate_series(1, 5) k""",
    """INSERT INTO decisions (id, review_id, client_id, decided_by_id, decided_at, rationale,
                           one_sided, waiver_reason, final_status, any_confirmed, record_text,
                           sequence, previous_digest, digest)
    SELECT i, i, 1 + (i::bigint * 7919) % 2000, 1 + i % 12,
           timestamptz '2020-01-01' + i * interval '25 minutes' + (i % 20) * interval '1 minute',
           (ARRAY['The team agreed and the client corroborated.',
                  'Not enough agreement to confirm.',
                  'Client unreachable; we decided without its view.',
                  'Invoices were paid late again.',
                  'We share the blame: the brief was never written down.'])[1 + i % 5],
           i % 5 = 3, CASE WHEN i % 5 = 3 THEN 'Client unreachable.' ELSE '' END,
           CASE WHEN i % 5 IN (0, 1) THEN 'blacklisted' ELSE 'active' END, i % 5 IN (0, 1),
           repeat('{"schema": 2, "record": "' || md5(i::text) || '"}', 560),
           i, md5((i - 1)::text) || md5((i - 1)::text), md5(i::text) || md5(i::text)
    FROM generate_series(1, :n) i""",
    """INSERT INTO category_decisions (decision_id, category_key, outcome, votes)
    SELECT i, c.key, c.outcome, 3 FROM generate_series(1, :n) i
    JOIN (VALUES (0, 'muddy', 'confirmed'), (1, 'muddy', 'not_confirmed'),
                 (1, 'eternal_debtor', 'confirmed'), (2, 'controlling', 'not_confirmed'),
                 (3, 'non_responsive', 'not_confirmed')) AS c(situation, key, outcome)
      ON c.situation = i % 5""",
]


def populate(count: int) -> float:
    from sqlalchemy import text

    from app.extensions import db
    from app.models.search_index import backfill_statement, install_search_index

    began = time.perf_counter()
    with db.engine.begin() as connection:
        for statement in FILL:
            connection.execute(text(statement), {"n": count})
        # Filled at once from the finished tables, as the migration fills an existing
        # archive, rather than row by row through the trigger.
        install_search_index(connection)
        connection.execute(text("DELETE FROM decision_search"))
        connection.execute(text(backfill_statement("postgresql")))
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE"))
    return time.perf_counter() - began


def cases(lead, member) -> list[tuple[str, object]]:
    from app.services import archive
    from app.services.archive_query import ArchiveFilters

    def listed(user, **filters):
        return lambda: archive.list_decisions(user, ArchiveFilters(**filters))

    return [
        ("list, page 1", listed(lead)),
        ("filter: one client", listed(lead, client_id=17)),
        ("filter: category + confirmed", listed(lead, category_key="muddy", outcome="confirmed")),
        ("filter: one-sided", listed(lead, outcome="one_sided")),
        ("filter: decided by one lead", listed(lead, lead_id=3)),
        ("filter: one month", listed(lead, date_from=date(2021, 6, 1), date_to=date(2021, 6, 30))),
        (
            "filter: client + lead + years",
            listed(
                lead, client_id=17, lead_id=3, date_from=date(2020, 1, 1), date_to=date(2030, 1, 1)
            ),
        ),
        ("search: client name word", listed(lead, q="harbour")),
        ("search: two words", listed(lead, q="unpaid spring")),
        ("search: no match", listed(lead, q="zzzz-nothing")),
        ("search + filter (one lead)", listed(lead, q="late", lead_id=3)),
        # "late" is in a fifth of the rationales, none of them on a confirmed decision.
        ("search + filter nothing matches", listed(lead, q="late", outcome="confirmed")),
        ("member's list, page 1", listed(member)),
        ("member's search", listed(member, q="harbour")),
    ]


def in_schema(url: str, count: int) -> str:
    """`url` with its search path set to this size's own schema (created if missing);
    public stays on the path for pg_trgm, which lives there."""
    from sqlalchemy import create_engine, text

    schema = f"archive_{count}"
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA IF NOT EXISTS {schema}"))
    engine.dispose()
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options=-csearch_path%3D{schema},public"


def _request_boundary(users) -> Callable[[], None]:
    """Between two runs, what ends a request and starts the next: the transaction rolled
    back, the signed-in users read afresh (before the timing, as a login would)."""
    from app.extensions import db

    def boundary() -> None:
        db.session.rollback()
        for user in users:
            user.role  # noqa: B018 - reading one attribute reloads the expired user now

    return boundary


def _backend_cpu_ms() -> Callable[[], float] | None:
    """The CPU time the session's PostgreSQL backend has used so far, in ms (from Linux's
    /proc), or None when the server does not run on this machine."""
    from sqlalchemy import text

    from app.extensions import db

    pid = db.session.scalar(text("SELECT pg_backend_pid()"))
    process = Path(f"/proc/{pid}")
    try:
        if b"postgres" not in (process / "cmdline").read_bytes():
            return None  # some other process: the server is elsewhere
    except OSError:
        return None
    schedstat = process / "schedstat"  # nanoseconds on a CPU, first field
    return lambda: int(schedstat.read_text().split()[0]) / 1e6


def _cpu_counted(action, backend_ms) -> tuple[Callable[[], object], list[float]]:
    """`action`, adding each run's CPU time (this process, the backend) to the list."""
    spent = [0.0, 0.0, 0]

    def counted():
        app_start, backend_start = time.process_time(), backend_ms()
        action()
        spent[0] += (time.process_time() - app_start) * 1000
        spent[1] += backend_ms() - backend_start
        spent[2] += 1

    return counted, spent


def run(url: str, count: int, repeats: int, keep: bool) -> None:
    os.environ.setdefault("SECRET_KEY", secrets.token_hex(32))
    os.environ.setdefault("ARCHIVE_KEY", secrets.token_hex(32))
    from sqlalchemy import func, select

    from app import create_app
    from app.extensions import db
    from app.models import Decision, User

    app = create_app({"SQLALCHEMY_DATABASE_URI": in_schema(url, count), "TESTING": True})
    with app.app_context():
        filled = False
        if keep:
            try:
                filled = db.session.scalar(select(func.count(Decision.id))) == count
            except Exception:  # noqa: BLE001 - no tables yet: fill below
                db.session.rollback()
        if filled:
            db.session.remove()
            add_missing_indexes()
            began = time.perf_counter()
            if upgrade_search_index():
                seconds = time.perf_counter() - began
                print(f"\nRebuilt the kept schema's search index in {seconds:.0f} s.")
        else:
            db.session.remove()
            db.drop_all()
            db.create_all()
            seconds = populate(count)
            print(f"\nGenerated {count:,} decisions on PostgreSQL in {seconds:.0f} s.")
        target = TARGETS_MS.get(count)
        print(f"Archive on PostgreSQL, {count:,} decisions ({load()}); median of {repeats} runs")
        lead, member = db.session.get(User, 1), db.session.get(User, LEADS + 1)
        boundary = _request_boundary((lead, member))
        backend_ms = _backend_cpu_ms()
        for name, action in cases(lead, member):
            boundary()
            action()
            cpu = ""
            if backend_ms is not None:
                action, spent = _cpu_counted(action, backend_ms)
            ms = median_ms(action, repeats, before=boundary)
            if backend_ms is not None:
                runs = spent[2]
                cpu = f"  CPU {spent[0] / runs:.1f} app + {spent[1] / runs:.1f} PostgreSQL"
            verdict = "" if target is None else ("ok" if ms <= target else "MISSED")
            shown = f"<= {target:g} ms" if target else ""
            print(f"  {name:<44}{ms:>8.1f} ms  {shown} {verdict}{cpu}".rstrip())
        db.session.remove()
        db.engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--decisions", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="reuse a database already filled")
    args = parser.parse_args(argv)
    url = os.environ.get("BENCH_ARCHIVE_DATABASE_URL") or os.environ.get("BENCH_DATABASE_URL", "")
    if not url.startswith("postgresql"):
        print("Archive on PostgreSQL: not measured (set BENCH_ARCHIVE_DATABASE_URL).")
        return 0
    url = url.replace("postgresql://", "postgresql+psycopg://", 1)
    for count in args.decisions:
        run(url, count, args.repeats, args.keep)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
