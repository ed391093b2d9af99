"""`make bench`: how fast are the charts and the comparison page?

Builds a closed review with 10 members and 20 dimensions in a throw-away SQLite
database (through the real services), then reports medians over repeated runs:

- cold render: drawing a chart from the stored numbers (no cache, no HTTP);
- cold chart response: GET of a chart with an empty cache (load, score, draw);
- cached chart response: GET of the same chart again (target: under 5 ms);
- comparison page: GET /reviews/<id>/compare (target: under 50 ms);
- a static page of the same app (GET /about), and the comparison page's ratio to it,
  measured in the same run, so the figure says something on a slower machine too.

Usage: python -m bench.run [--repeats N]. Always exits 0: it reports, CI decides.
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

PASSWORD = secrets.token_urlsafe(16)  # a throw-away database; nobody logs in but the bench
MEMBERS = 10
DIMENSIONS = 20
CACHED_TARGET_MS = 5.0
COMPARE_TARGET_MS = 50.0


def median_ms(
    action: Callable[[], object], repeats: int, before: Callable[[], object] | None = None
) -> float:
    timings = []
    for _ in range(repeats):
        if before is not None:
            before()
        start = time.perf_counter()
        action()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def twenty_dimension_catalogue() -> dict:
    """The built-in catalogue plus universal dimensions up to 20, categories unchanged."""
    from app.domain.catalogue_default import default_catalogue_document

    document = default_catalogue_document()
    extra = DIMENSIONS - len(document["dimensions"])
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


def build_review() -> int:
    """A closed review: 10 members answered, the client's view recorded. Returns its id."""
    from app.models import utcnow
    from app.services import client_links, review_opening, reviews
    from app.services.catalogue import publish_catalogue
    from app.services.clients import create_client
    from app.services.reviews import AnswerInput, ResponseInput
    from app.services.users import create_user

    rng = random.Random(5)  # noqa: S311  (the same review on every run; not security)
    lead = create_user("lead@bench.example", "Bench Lead", "lead", PASSWORD)
    members = [
        create_user(f"m{i}@bench.example", f"Member {i}", "member", PASSWORD)
        for i in range(MEMBERS)
    ]
    catalogue = publish_catalogue(twenty_dimension_catalogue(), lead)
    keys = [dimension["key"] for dimension in catalogue.document["dimensions"]]
    client = create_client("Bench Client Ltd", "Pat", "pat@client.example", "", lead)
    now = utcnow()
    review = review_opening.open_review(
        lead, client.id, "Bench conflict.", [m.id for m in members], now + timedelta(days=7), 3, now
    )
    for index, member in enumerate(members):
        answers = {
            key: AnswerInput(rng.choice([2, 3, 4, 4, 5, 5]), rng.choice([60, 70, 80, 90, 100]))
            for key in keys
        }
        choices = {"muddy": "Goals kept changing."} if index % 3 else {"controlling": "Every post."}
        reviews.save_response(
            review.id,
            member,
            ResponseInput(complexity=rng.randint(2, 4), answers=answers, choices=choices),
            True,
            utcnow(),
        )
    client_links.record_client_view(
        review.id,
        lead,
        {key: rng.choice([1, 2, 3, 4]) for key in keys},
        {},
        "Client's e-mail of 3 March, quoted in full.",
        utcnow(),
    )
    reviews.close_review(review.id, lead, utcnow())
    return review.id


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=40)
    repeats = parser.parse_args().repeats

    with tempfile.TemporaryDirectory(prefix="candor-bench-") as folder:
        database = Path(folder) / "bench.db"
        # Set here so the app writes no key file to instance/ and uses the temporary database.
        os.environ["SECRET_KEY"] = secrets.token_hex(32)
        os.environ["DATABASE_URL"] = f"sqlite:///{database}"
        from app import create_app
        from app.extensions import db

        app = create_app({"WTF_CSRF_ENABLED": False, "LOGIN_RATE_LIMIT": "1000 per minute"})
        with app.app_context():
            db.create_all()
            review_id = build_review()
        rows = measure(app, review_id, repeats)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    print_table(rows, repeats)
    return 0


def measure(app, review_id: int, repeats: int) -> list[tuple[str, float | None, str]]:
    from app.charts import render_chart
    from app.extensions import db
    from app.models import Review
    from app.services.charts import chart_cache, chart_tables
    from app.services.review_data import results_for

    http = app.test_client()
    response = http.post("/auth/login", data={"email": "lead@bench.example", "password": PASSWORD})
    assert response.status_code == 302, "bench login failed"
    chart_url = f"/graphs/reviews/{review_id}/divergence.svg"
    compare_url = f"/reviews/{review_id}/compare"

    def get(url: str) -> Callable[[], None]:
        def fetch() -> None:
            reply = http.get(url)
            assert reply.status_code == 200, f"{url}: {reply.status_code}"

        return fetch

    rows: list[tuple[str, float | None, str]] = []
    with app.test_request_context():
        inputs = chart_tables(results_for(db.session.get(Review, review_id)))
        for kind, fmt in (
            ("divergence", "svg"),
            ("divergence", "png"),
            ("confidence", "svg"),
            ("votes", "svg"),
        ):
            render_chart(kind, fmt, inputs)  # warm-up: fonts, caches of matplotlib itself
            rows.append(
                (
                    f"Cold render, {kind} {fmt.upper()} (draw only)",
                    median_ms(
                        lambda k=kind, f=fmt: render_chart(k, f, inputs), max(repeats // 2, 5)
                    ),
                    "",
                )
            )
    with app.app_context():
        cache = chart_cache()
    get(chart_url)()
    rows.append(
        (
            "Cold chart response, divergence.svg (load + score + draw)",
            median_ms(get(chart_url), max(repeats // 2, 5), before=cache.clear),
            "",
        )
    )
    get(chart_url)()
    cached = median_ms(get(chart_url), repeats)
    rows.append(("Cached chart response, divergence.svg", cached, f"< {CACHED_TARGET_MS:g} ms"))

    about = median_ms(get("/about"), repeats)
    has_compare = any(rule.endpoint == "reviews.compare" for rule in app.url_map.iter_rules())
    compare = None
    if has_compare:
        get(compare_url)()
        compare = median_ms(get(compare_url), repeats)
    rows.append((f"Comparison page, GET {compare_url}", compare, f"< {COMPARE_TARGET_MS:g} ms"))
    rows.append(("Static page, GET /about", about, ""))
    ratio = None if compare is None else compare / about
    rows.append(("Ratio comparison page / static page", ratio, "ratio"))
    return rows


def print_table(rows: list[tuple[str, float | None, str]], repeats: int) -> None:
    print(
        f"Candor benchmark: {MEMBERS} members x {DIMENSIONS} dimensions, SQLite, "
        f"median of up to {repeats} runs\n"
    )
    width = max(len(label) for label, _, _ in rows)
    print(f"{'measure':<{width}}  {'median':>10}  target")
    print(f"{'-' * width}  {'-' * 10}  ------")
    for label, value, target in rows:
        if value is None:
            shown, verdict = "n/a", "(route not found)" if target else ""
        elif target == "ratio":
            shown, verdict = f"{value:.1f}x", ""
        else:
            shown = f"{value:.2f} ms"
            verdict = ""
            if target:
                limit = float(target.split()[1])
                verdict = f"{target}  {'ok' if value < limit else 'MISSED'}"
        print(f"{label:<{width}}  {shown:>10}  {verdict}")


if __name__ == "__main__":
    raise SystemExit(main())
