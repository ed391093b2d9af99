"""Fixtures shared by the service tests."""

import pytest

from tests.archive_factory import at, decide
from tests.services import stored_results_scene


@pytest.fixture
def world(make_user, make_client):
    """Four decisions on three clients by two leads and two teams (newest last)."""
    lena = make_user("lead", name="Lena Lead")
    leo = make_user("lead", name="Leo Lead")
    team_a = [make_user("member") for _ in range(3)]
    team_b = [make_user("member") for _ in range(3)]
    acme = make_client("Acme Widgets", actor=lena)
    bolt = make_client("Bolt Media", actor=lena)
    cmd = make_client("+cmd Corp", actor=lena)
    d1 = decide(
        lena,
        team_a,
        acme,
        when=at("2026-01-05"),
        outcomes={"muddy": "confirmed"},
        rationale="Invoices were paid late.",
        conflict="Scope argument over the blog posts.",
    )
    d2 = decide(
        leo,
        team_b,
        bolt,
        when=at("2026-02-10"),
        outcomes={"muddy": "not_confirmed"},
        waiver="Client unreachable.",
        rationale="Cannot tell without the client.",
        conflict="Endless feedback rounds.",
    )
    d3 = decide(
        leo,
        team_a,
        acme,
        when=at("2026-03-15"),
        outcomes={"eternal_debtor": "confirmed", "muddy": "not_confirmed"},
        rationale="Debt keeps growing.",
        conflict="Unpaid invoices since spring.",
    )
    d4 = decide(
        lena,
        team_b,
        cmd,
        when=at("2026-03-20"),
        outcomes={},
        rationale='=HYPERLINK("http://evil.example","click")',
        conflict="100% of posts rejected_by the board.",
    )
    return {
        "lena": lena,
        "leo": leo,
        "team_a": team_a,
        "team_b": team_b,
        "acme": acme,
        "bolt": bolt,
        "cmd": cmd,
        "d": [None, d1, d2, d3, d4],
    }


# The stored-results tests' scene (tests/services/stored_results_scene.py).


@pytest.fixture
def from_rows(monkeypatch):
    """The reviews whose page was worked out afresh (rows or record), not from stored results."""
    calls = []
    from app.services import review_data

    real = review_data.results_for

    def counting(review, *args, **kwargs):
        calls.append(review.id)
        return real(review, *args, **kwargs)

    monkeypatch.setattr(review_data, "results_for", counting)
    return calls


@pytest.fixture
def closed_page(client, login, make_user, make_client):
    """A closed review, its lead logged in: (lead, team, review, its comparison page)."""
    lead, team, review = stored_results_scene.closed_review(make_user, make_client)
    login(client, lead)
    return lead, team, review, f"/reviews/{review.id}/compare"
