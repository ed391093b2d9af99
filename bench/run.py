"""`make bench`: the comparison page, the charts and the answer submit, each beside a
baseline measured in the same run.

For SQLite (a temporary file) and, when BENCH_DATABASE_URL names one, PostgreSQL (its
tables are dropped and made afresh: give it a database of its own), it builds closed
reviews of 10 members x 20 questions and 100 members x 50 questions through the real
services and reports medians over repeated runs, each as a ratio to the app's static
`/about` page fetched the same way (the Flask test client, a logged-in session):

- comparison page, cached: a closed review's content served from the shared store
  (target <= 2x the static page);
- comparison page, cold: the store emptied before each request, so the page is drawn
  from the results the close stored (app/services/stored_results.py; target <= 5x the
  static page at 100 x 50), with the number of SQL statements it sent (the same for 10
  and 100 members); and the same cold page with no stored results, as for a review closed
  before they existed or whose rows were edited since: the rows read, scored and drawn
  (no target; `recomputed_from_rows`);
- the same review decided, cached and cold: drawn from its sealed record and kept, its
  stored answers checked against the record's digest whenever anything was written since
  the last check (app/services/unchanged_database.py: kept in the worker, not in the
  shared store, so a cold request here does not check again while nothing is written);
  and its review page and archive page, which are drawn on every request (no target);
- cold divergence SVG and PNG (draw only) against the batched reference render in
  ../shared/perf/chart_reference.py (targets <= 1.3x and <= 1.5x);
- answer submit: `save_response(..., submit=True)` of a 20-question answer, service
  time per member (target <= 4 ms on PostgreSQL).

Before measuring, the heap made so far is settled (`app.settle_heap`, gc.freeze) as
wsgi.py settles each gunicorn worker's, so the garbage collector costs what it costs when
served; without it, it walks the bench's own start-up objects every few requests.

Usage: python -m bench.run [--repeats N] [--only charts|pages]. `--only charts` builds just
the 10 x 20 review on SQLite and measures the chart renders (about a minute, not ten);
`--only pages` measures the comparison page alone (no charts, no submit).
Always exits 0: it reports, CI decides.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import secrets
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from app import settle_heap
from bench.common import (
    Table,
    chart_reference,
    median_ms,
    paired_cpu_medians,
    paired_medians,
    sql_counter,
)

PASSWORD = secrets.token_urlsafe(16)  # a throw-away database; nobody logs in but the bench
SIZES = ((10, 20), (100, 50))
SUBMITTERS = 50
CACHED_LIMIT, COLD_LIMIT, SVG_LIMIT, PNG_LIMIT, SUBMIT_LIMIT_MS = 2.0, 5.0, 1.3, 1.5, 4.0


def catalogue_document(dimensions: int) -> dict:
    """The built-in catalogue plus universal questions up to `dimensions`."""
    from app.domain.catalogue_default import default_catalogue_document

    document = default_catalogue_document()
    extra = dimensions - len(document["dimensions"])
    document["dimensions"] += [
        {
            "key": f"bench_extra_{index}",
            "title": f"Extra point {index} of the review",
            "team_statement": "We handled this well.",
            "client_statement": "They handled this well.",
            "universal": True,
        }
        for index in range(1, extra + 1)
    ]
    document.pop("version", None)
    return document


def open_review(tag: str, members: int, dimensions: int):
    """An open review of `members` members on a `dimensions`-question catalogue."""
    from app.models import utcnow
    from app.services import review_opening
    from app.services.catalogue import publish_catalogue
    from app.services.clients import create_client
    from app.services.users import create_user

    lead = create_user(f"lead-{tag}@bench.example", f"Lead {tag}", "lead", PASSWORD)
    team = [
        create_user(f"m{i}-{tag}@bench.example", f"Member {i}", "member", PASSWORD)
        for i in range(members)
    ]
    catalogue = publish_catalogue(catalogue_document(dimensions), lead)
    keys = [dimension["key"] for dimension in catalogue.document["dimensions"]]
    client = create_client(f"Client {tag} Ltd", "Pat", "pat@client.example", "", lead)
    now = utcnow()
    review = review_opening.open_review(
        lead, client.id, "Bench conflict.", [m.id for m in team], now + timedelta(days=7), 3, now
    )
    return review.id, lead, team, keys


def answer_of(rng: random.Random, keys: list[str], index: int):
    from app.services.response_rows import AnswerInput, ResponseInput

    answers = {
        key: AnswerInput(rng.choice([2, 3, 4, 4, 5, 5]), rng.choice([60, 70, 80, 90, 100]))
        for key in keys
    }
    choices = {"muddy": "Goals kept changing."} if index % 3 else {"controlling": "Every post."}
    return ResponseInput(complexity=rng.randint(2, 4), answers=answers, choices=choices)


def closed_review(members: int, dimensions: int) -> tuple[int, str]:
    """A closed review: every member answered, the client's view recorded."""
    from app.models import utcnow
    from app.services import client_links, reviews

    rng = random.Random(members)  # noqa: S311  (the same review on every run; not security)
    tag = f"{members}x{dimensions}"
    review_id, lead, team, keys = open_review(tag, members, dimensions)
    for index, member in enumerate(team):
        reviews.save_response(review_id, member, answer_of(rng, keys, index), True, utcnow())
    client_links.record_client_view(
        review_id,
        lead,
        {key: rng.choice([1, 2, 3, 4]) for key in keys},
        {},
        "Client's e-mail of 3 March, quoted in full.",
        utcnow(),
    )
    reviews.close_review(review_id, lead, utcnow())
    return review_id, lead.email


def submit_times(members: int, dimensions: int) -> list[float]:
    """Service time of each member's submit on a fresh open review, in ms. Each submit
    starts as a request does: a new session holding the member, loaded before the view
    runs (Flask-Login's loader, not the service), so no earlier commit's expired objects
    are reloaded inside the timing."""
    from app.extensions import db
    from app.models import User, utcnow
    from app.services import reviews

    rng = random.Random(7)  # noqa: S311
    review_id, _lead, team, keys = open_review(f"submit{members}", members, dimensions)
    member_ids = [member.id for member in team]
    timings = []
    for index, member_id in enumerate(member_ids):
        given = answer_of(rng, keys, index)
        db.session.remove()
        member = db.session.get(User, member_id)
        began = time.perf_counter()
        reviews.save_response(review_id, member, given, True, utcnow())
        timings.append((time.perf_counter() - began) * 1000)
    return timings


def measure_pages(app, table: Table, label: str, repeats: int) -> None:
    from app.extensions import db
    from app.services.shared_store import shared_store

    with app.app_context():
        built = {size: closed_review(*size) for size in SIZES}
        store = shared_store()
        statements = sql_counter(db.engine)
    settle_heap()  # as wsgi.py leaves each gunicorn worker
    for (members, dimensions), (review_id, email) in built.items():
        size = f"{members} x {dimensions}"
        http = app.test_client()
        reply = http.post("/auth/login", data={"email": email, "password": PASSWORD})
        assert reply.status_code == 302, "bench login failed"
        compare = fetcher(http, f"/reviews/{review_id}/compare")
        about = fetcher(http, "/about")
        about()
        compare()
        static, cached = paired_medians(about, compare, repeats)
        static_cold, cold = paired_medians(about, compare, max(repeats // 4, 5), store.clear)
        store.clear()
        before = statements()
        compare()
        sent = statements() - before
        page = f"{label}: comparison page {size}"
        table.add(f"{label}: static page GET /about ({size} run)", f"{static:.2f} ms")
        table.ratio(f"{page}, cached / static", cached, static, CACHED_LIMIT)
        limit = COLD_LIMIT if members >= 100 else None
        table.ratio(f"{page}, cold / static", cold, static_cold, limit)
        table.add(f"{label}: SQL statements of a cold comparison page {size}", str(sent))
        static, recomputed = recomputed_from_rows(app, review_id, about, compare, store.clear)
        table.ratio(f"{page}, cold, recomputed from the rows / static", recomputed, static, None)
        with app.app_context():
            decide(review_id, email)
        compare()
        static, cached = paired_medians(about, compare, max(repeats // 2, 5))
        table.ratio(f"{page}, decided, cached / static", cached, static, CACHED_LIMIT)
        static, cold = paired_medians(about, compare, max(repeats // 4, 5), store.clear)
        table.ratio(f"{page}, decided, cold / static", cold, static, limit)
        # Pages no target names, drawn on every request: a big team must not make them slow.
        others = {
            "review page": f"/reviews/{review_id}",
            "archive decision page": f"/archive/{decision_of(app, review_id)}",
        }
        for name, address in others.items():
            static, drawn = paired_medians(about, fetcher(http, address), max(repeats // 4, 5))
            table.ratio(f"{label}: {name} {size}, decided / static", drawn, static, None)


def recomputed_from_rows(app, review_id: int, about, compare, clear) -> tuple[float, float]:
    """The cold page without the results the close stored: the rows read, scored and
    judged on every request, as for a review closed before results were stored or one
    whose rows were edited since. The stored results are put back afterwards, and the
    first request with them must draw the same page (no target: it shows what storing
    them saves)."""
    from app.extensions import db
    from app.models import Review, StoredResultsRow
    from app.services import stored_results

    clear()
    from_stored = compare()
    with app.app_context():
        db.session.execute(
            db.delete(StoredResultsRow).where(StoredResultsRow.review_id == review_id)
        )
        db.session.commit()
    try:
        clear()
        recomputed = without_csrf_token(compare())
        assert recomputed == without_csrf_token(from_stored), "stored results drew another page"
        medians = paired_medians(about, compare, 15, clear)
    finally:
        with app.app_context():
            stored_results.store_results(db.session.get(Review, review_id))
            db.session.commit()
    return medians


def decision_of(app, review_id: int) -> int:
    from app.services.decisions import decision_id_of

    with app.app_context():
        return decision_id_of(review_id)


def decide(review_id: int, email: str) -> None:
    """Decide the review: its comparison page is then drawn from the sealed record, and
    the stored answers are checked against the record's digest on every cold render."""
    from app.extensions import db
    from app.models import User, utcnow
    from app.services.decisions import DecisionInput, decide_review

    lead = db.session.scalar(db.select(User).where(User.email == email))
    outcomes = {"muddy": "not_confirmed", "controlling": "not_confirmed"}
    decide_review(review_id, lead, DecisionInput(outcomes, "Bench decision."), utcnow())
    db.session.remove()


def fetcher(http, address: str):
    def fetch() -> bytes:
        reply = http.get(address)
        assert reply.status_code == 200, address
        return reply.data

    return fetch


def without_csrf_token(page: bytes) -> bytes:
    """The page without its log-out form's CSRF token, which carries the second it was made."""
    return re.sub(rb'name="csrf_token" value="[^"]*"', b"", page)


def measure_charts(app, table: Table, repeats: int) -> None:
    """Cold divergence renders (draw only) of the 10 x 20 review against the reference,
    alternated run by run so both meet the same load; CPU time of this process only."""
    from app.charts import render_chart
    from app.extensions import db
    from app.models import Review
    from app.services.charts import chart_tables
    from app.services.review_data import results_for

    reference = chart_reference()
    with app.test_request_context():
        review = db.session.scalar(
            db.select(Review).where(Review.closed_at.is_not(None)).order_by(Review.id).limit(1)
        )
        inputs = chart_tables(results_for(review))
        for fmt, limit in (("svg", SVG_LIMIT), ("png", PNG_LIMIT)):
            render_chart("divergence", fmt, inputs)  # warm-up: fonts, matplotlib's caches
            if reference is None:
                ours = median_ms(
                    lambda f=fmt: render_chart("divergence", f, inputs),
                    repeats,
                    clock=time.process_time,
                )
                table.add(f"Cold divergence {fmt.upper()} (draw only)", f"{ours:.1f} ms", "n/a")
                continue
            reference.render(fmt)
            base, ours = paired_cpu_medians(
                lambda f=fmt: reference.render(f),
                lambda f=fmt: render_chart("divergence", f, inputs),
                repeats,
            )
            table.ratio(f"Cold divergence {fmt.upper()} / reference (CPU time)", ours, base, limit)
            table.add(f"  reference {fmt.upper()} render (../shared/perf)", f"{base:.1f} ms")


def measure_submit(app, table: Table, label: str, limit: float | None) -> None:
    settle_heap()
    with app.app_context():
        timings = submit_times(SUBMITTERS, 20)
    middle = statistics.median(timings[5:])  # the first few warm the caches up
    target = f"<= {limit:g} ms" if limit else ""
    table.add(
        f"{label}: answer submit, service time (20 questions, median of {SUBMITTERS - 5})",
        f"{middle:.2f} ms",
        target,
        None if limit is None else middle <= limit,
    )


def make_app(url: str):
    from app import create_app
    from app.extensions import db

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "WTF_CSRF_ENABLED": False,
            "LOGIN_RATE_LIMIT": "100000 per minute",
            "REDIS_URL": os.environ.get("BENCH_REDIS_URL", ""),
            "CACHE_KEY_PREFIX": f"candor-bench-{secrets.token_hex(4)}",
        }
    )
    with app.app_context():
        db.drop_all()
        db.create_all()
    return app


def close_app(app) -> None:
    from app.extensions import db
    from app.services.shared_store import shared_store

    with app.app_context():
        shared_store().clear()
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


def only_charts(table: Table, repeats: int) -> int:
    """The chart rows alone, on a temporary SQLite review of 10 members x 20 questions."""
    with tempfile.TemporaryDirectory(prefix="candor-bench-") as folder:
        app = make_app(f"sqlite:///{Path(folder) / 'bench.db'}")
        with app.app_context():
            closed_review(*SIZES[0])
        measure_charts(app, table, max(repeats // 2, 15))
        close_app(app)
    table.print()
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=40)
    parser.add_argument(
        "--only",
        choices=("charts", "pages"),
        help="measure only the charts (SQLite, 10 x 20 review) or the comparison page",
    )
    arguments = parser.parse_args()
    repeats, everything = arguments.repeats, arguments.only is None
    # Set here so the app writes no key files to instance/.
    os.environ.setdefault("SECRET_KEY", secrets.token_hex(32))
    os.environ.setdefault("ARCHIVE_KEY", secrets.token_hex(32))
    postgres = os.environ.get("BENCH_DATABASE_URL", "")
    store = "Redis" if os.environ.get("BENCH_REDIS_URL") else "process memory"
    table = Table(
        f"Candor benchmark: comparison page, charts, submit; medians; shared store: {store}"
    )
    if arguments.only == "charts":
        return only_charts(table, repeats)
    with tempfile.TemporaryDirectory(prefix="candor-bench-") as folder:
        app = make_app(f"sqlite:///{Path(folder) / 'bench.db'}")
        measure_pages(app, table, "SQLite", repeats)
        if everything:
            measure_charts(app, table, max(repeats // 2, 9))
            measure_submit(app, table, "SQLite", None)
        close_app(app)
    if postgres:
        app = make_app(postgres)
        measure_pages(app, table, "PostgreSQL", repeats)
        if everything:
            measure_submit(app, table, "PostgreSQL", SUBMIT_LIMIT_MS)
        close_app(app)
    else:
        table.add("PostgreSQL", "not measured: set BENCH_DATABASE_URL", "")
    table.print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
