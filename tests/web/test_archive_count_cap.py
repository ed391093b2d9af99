"""The archive counts its matches only up to COUNT_CAP, and says "more than" beyond it,
so a page never costs a count of the whole archive."""

from __future__ import annotations

import pytest

from app.services import archive
from app.services.archive import ArchiveFilters
from tests.archive_factory import at, decide


@pytest.fixture
def four_decisions(make_user, make_client):
    lead = make_user("lead")
    team = [make_user("member") for _ in range(3)]
    client = make_client("Capped Ltd", actor=lead)
    made = [decide(lead, team, client, when=at(f"2026-01-0{day}")) for day in range(1, 5)]
    return lead, made


def test_beyond_the_cap_the_count_says_more_than(monkeypatch, four_decisions, client, login):
    lead, made = four_decisions
    monkeypatch.setattr(archive, "COUNT_CAP", 2)
    page = archive.list_decisions(lead, ArchiveFilters(), per_page=1)
    assert (page.total, page.capped, page.pages) == (2, True, 2)
    assert [row.id for row in page.rows] == [made[-1].id]
    login(client, lead)
    html = client.get("/archive/").get_data(as_text=True)
    assert "More than 2 decisions found" in html and ">Last<" not in html


def test_within_the_cap_the_count_is_exact(monkeypatch, four_decisions):
    lead, _made = four_decisions
    monkeypatch.setattr(archive, "COUNT_CAP", 4)
    page = archive.list_decisions(lead, ArchiveFilters(), per_page=1)
    assert (page.total, page.capped, page.pages) == (4, False, 4)
    last = archive.list_decisions(lead, ArchiveFilters(), page=99, per_page=1)
    assert last.page == 4 and not last.capped


def test_a_page_past_the_cap_shows_the_last_page_within_it(monkeypatch, four_decisions):
    lead, made = four_decisions
    monkeypatch.setattr(archive, "COUNT_CAP", 2)
    page = archive.list_decisions(lead, ArchiveFilters(), page=9, per_page=1)
    assert page.page == 2 and page.capped and [r.id for r in page.rows] == [made[-2].id]
