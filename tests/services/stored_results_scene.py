"""The scene the stored-results tests share: a closed review with everything its page
shows, a lead logged in, and ways to read, drop and edit its stored results
(tests/services/test_stored_results*.py)."""

from __future__ import annotations

import re

import orjson
from sqlalchemy import delete, select

from app.extensions import db
from app.models import Review, StoredResultsRow, utcnow
from app.services import client_links, stored_results
from app.services.shared_store import shared_store
from tests import factories as f
from tests.archive_factory import tamper_from_outside


def closed_review(make_user, make_client, ratings=(2, 3, 4, 5), lead=None):
    """A closed review with everything the page shows: named members and markup in names,
    evidence, comments, members sure of themselves above the client (flags) and the
    client's own words."""
    lead = lead or make_user("lead", name="Lena Lead")
    team = [make_user("member", name=f"Member <{i}> & Co") for i in range(len(ratings))]
    review = f.open_review(lead, make_client(actor=lead), team)
    for index, (member, rating) in enumerate(zip(team, ratings, strict=True)):
        response = f.full_response(
            rating=rating,
            confidence=70 + 10 * index,
            choices={"muddy": f"Evidence <b>{index}</b> & more."},
            consent_named=index % 2 == 0,
            comment=f"Comment {index}.",
        )
        f.submit(review, member, response)
    catalogue = f.ensure_catalogue()
    token = client_links.issue_link(review.id, lead, utcnow(), send_email=False)[1]
    client_links.submit_client_view(
        token,
        {d.key: 2 for d in catalogue.dimensions},
        {"goals_agreed": "We never saw written goals."},
        "Overall we were unhappy.",
        utcnow(),
    )
    f.close(review, lead)
    return lead, team, f.reload(review)


def page(http, url: str, language: str = "en") -> str:
    """The page drawn now (no kept page), as the reader in `language` gets it."""
    shared_store().clear()
    response = http.get(url, headers={"Accept-Language": language})
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def team_means(html: str) -> list[str]:
    return re.findall(r'data-label="Team mean">([^<]+)</td>', html)


def stored_rows() -> list[StoredResultsRow]:
    db.session.expire_all()
    return list(db.session.scalars(select(StoredResultsRow).order_by(StoredResultsRow.review_id)))


def forget(review_id: int) -> None:
    db.session.execute(delete(StoredResultsRow).where(StoredResultsRow.review_id == review_id))
    db.session.commit()


def kept(review_id: int):
    """What the page would be drawn from, kept results only (None: the rows)."""
    db.session.expire_all()
    return stored_results.stored_results_for(db.session.get(Review, review_id))


def edit_body(review_id: int, change) -> None:
    """Rewrite the stored body as valid JSON, from a database client of its own."""
    (row,) = [row for row in stored_rows() if row.review_id == review_id]
    body = orjson.loads(row.body)
    change(body)
    tamper_from_outside(
        "UPDATE stored_results SET body = :body WHERE review_id = :id",
        body=orjson.dumps(body),
        id=review_id,
    )
