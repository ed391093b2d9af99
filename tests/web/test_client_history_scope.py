"""A client's status history shows a member only what they may open (PITFALLS 11).

Members may open only decisions of reviews they took part in; a status change caused by
another review or its decision says when it was opened, by whom and how it ended, so it
is left out of a member's page. Leads and admins see every change.
"""

from __future__ import annotations

import re

import pytest

from app.extensions import db
from app.models import Client
from app.services import clients
from app.services._tx import transaction
from tests.archive_factory import at, decide


@pytest.fixture
def two_reviews(make_user, make_client):
    """One client, two decided reviews: Mia was on the first, Max on the second."""
    lead = make_user("lead", name="Lena Lead")
    mia = make_user("member", name="Mia First")
    max_ = make_user("member", name="Max Second")
    team_one = [mia, make_user("member"), make_user("member")]
    team_two = [max_, make_user("member"), make_user("member")]
    client = make_client("Acme <i>Bakery</i>", actor=lead)
    first = decide(
        lead, team_one, client, when=at("2026-01-10"), rationale="Nothing to hold.", outcomes={}
    )
    second = decide(
        lead,
        team_two,
        client,
        when=at("2026-02-10"),
        outcomes={"muddy": "confirmed"},
        rationale="Scope moved every week.",
    )
    return {
        "lead": lead,
        "admin": make_user("admin"),
        "mia": mia,
        "max": max_,
        "outsider": make_user("member", name="Olaf Outsider"),
        "client": client,
        "first": first,
        "second": second,
    }


def timeline(http, client_id: int) -> str:
    response = http.get(f"/clients/{client_id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    start = html.index('<ol class="timeline">')
    return html[start : html.index("</ol>", start)]


def entries(html: str) -> list[str]:
    return [re.sub(r"\s+", " ", item).strip() for item in re.findall(r"<li>(.*?)</li>", html, re.S)]


def as_user(app, login, user):
    http = app.test_client()
    login(http, user)
    return http


def test_a_member_sees_the_changes_of_their_own_review_and_not_of_the_other(
    app, login, two_reviews
):
    w = two_reviews
    first, second = w["first"], w["second"]
    html = timeline(as_user(app, login, w["mia"]), w["client"].id)
    assert len(entries(html)) == 3, entries(html)
    assert "Client created" in html
    assert f"Review #{first.review_id} opened" in html
    assert f'href="/archive/{first.id}"' in html
    assert f"Decision on review #{first.review_id}" in html
    assert f"#{second.review_id}" not in html and f'href="/archive/{second.id}"' not in html
    assert "Blacklisted" not in html  # the second decision's outcome

    html = timeline(as_user(app, login, w["max"]), w["client"].id)
    assert len(entries(html)) == 3, entries(html)
    assert f'href="/archive/{second.id}"' in html and "Blacklisted" in html
    assert f"#{first.review_id}" not in html and f'href="/archive/{first.id}"' not in html


def test_a_member_on_no_review_sees_only_changes_not_tied_to_a_review(app, login, two_reviews):
    html = timeline(as_user(app, login, two_reviews["outsider"]), two_reviews["client"].id)
    assert entries(html) and len(entries(html)) == 1 and "Client created" in html
    assert "/archive/" not in html and "Review #" not in html


@pytest.mark.parametrize("role", ["lead", "admin"])
def test_leads_and_admins_see_every_change_with_links(app, login, two_reviews, role):
    w = two_reviews
    html = timeline(as_user(app, login, w[role]), w["client"].id)
    assert len(entries(html)) == 5, entries(html)
    for decision in (w["first"], w["second"]):
        assert f'href="/archive/{decision.id}"' in html
        assert f'href="/reviews/{decision.review_id}"' in html


def test_the_links_a_member_gets_open_and_the_hidden_ones_stay_closed(app, login, two_reviews):
    w = two_reviews
    mia = as_user(app, login, w["mia"])
    assert mia.get(f"/archive/{w['first'].id}").status_code == 200
    assert mia.get(f"/archive/{w['second'].id}").status_code == 404  # as today


def test_any_other_reason_naming_a_review_is_scoped_by_that_review(app, login, two_reviews):
    w = two_reviews
    with transaction():
        stored = db.session.get(Client, w["client"].id)
        clients.change_status(
            stored,
            "cleared",
            w["lead"],
            f"<script>x()</script> After review #{w['second'].review_id}",
        )
        clients.change_status(stored, "active", w["lead"], "Reopened by hand \u202e\u200b")
    lead_html = timeline(as_user(app, login, w["lead"]), w["client"].id)
    assert "&lt;script&gt;x()&lt;/script&gt; After review" in lead_html
    assert "<script>x()" not in lead_html
    mia_html = timeline(as_user(app, login, w["mia"]), w["client"].id)
    assert "After review" not in mia_html and "Reopened by hand" in mia_html
    max_html = timeline(as_user(app, login, w["max"]), w["client"].id)
    assert "&lt;script&gt;x()&lt;/script&gt; After review" in max_html


def test_the_service_scopes_the_history_by_the_reader(two_reviews):
    w = two_reviews
    stored = db.session.get(Client, w["client"].id)
    lead_view = clients.status_history(stored, w["lead"])
    assert [e.cause for e in lead_view] == [
        "created",
        "review_opened",
        "decided",
        "review_opened",
        "decided",
    ]
    assert [e.decision_id for e in lead_view if e.cause == "decided"] == [
        w["first"].id,
        w["second"].id,
    ]
    mia_view = clients.status_history(stored, w["mia"])
    assert [(e.cause, e.review_id) for e in mia_view] == [
        ("created", None),
        ("review_opened", w["first"].review_id),
        ("decided", w["first"].review_id),
    ]


def test_another_clients_page_is_readable_but_shows_none_of_these_reviews(
    app, login, make_client, two_reviews
):
    w = two_reviews
    other = make_client("Other Ltd", actor=w["lead"])
    html = timeline(as_user(app, login, w["mia"]), other.id)
    assert len(entries(html)) == 1 and "/archive/" not in html
    assert as_user(app, login, w["mia"]).get("/clients/999999").status_code == 404


def test_a_reason_naming_an_impossible_review_id_is_no_server_error(app, login, two_reviews):
    w = two_reviews
    with transaction():
        stored = db.session.get(Client, w["client"].id)
        clients.change_status(stored, "cleared", w["lead"], "See review #" + "9" * 40)
        clients.change_status(stored, "active", w["lead"], "See review #\u0663")  # Arabic 3
    for reader in ("lead", "mia"):
        html = timeline(as_user(app, login, w[reader]), w["client"].id)
        assert "See review #" + "9" * 40 in html and "See review #\u0663" in html
