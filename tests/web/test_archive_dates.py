"""Date filters out of range are the reader's mistake (400 with a message), never a 500.

9999-12-31 parses as a date, but the day after it (the end of the range) overflows;
year 1 and year 99999 are no archive days either.
"""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from app.extensions import db
from app.models import AuditEvent
from app.services.archive import ArchiveFilters, list_decisions
from tests.archive_factory import at, decide

EXPORTS = ("/archive/export.csv?", "/archive/export.json?")
RANGE = "Choose a day between 1900-01-01 and 2999-12-31."
NOT_A_DATE = "Not a valid date value."


@pytest.fixture
def archived(make_user, make_client):
    lead = make_user("lead", name="Lena Lead")
    team = [make_user("member") for _ in range(3)]
    client = make_client("Dated Ltd", actor=lead)
    january = decide(lead, team, client, when=at("2026-01-10"), rationale="January.")
    march = decide(lead, team, client, when=at("2026-03-10"), rationale="March.")
    return {"lead": lead, "team": team, "january": january, "march": march}


BAD_DATES = [
    ("date_to=9999-12-31", RANGE),  # the day after it overflows
    ("date_from=9999-12-31", RANGE),
    ("date_from=0001-01-01", RANGE),
    ("date_to=0001-01-01", RANGE),
    ("date_from=1899-12-31", RANGE),
    ("date_to=3000-01-01", RANGE),
    ("date_to=99999-01-01", NOT_A_DATE),
    ("date_from=%2B099999-01-01", NOT_A_DATE),
    ("date_to=-0001-01-01", NOT_A_DATE),
    ("date_from=2026-02-30", NOT_A_DATE),
    ("date_to=tomorrow", NOT_A_DATE),
    ("date_to=2026-01-01%E2%80%8B", NOT_A_DATE),  # a zero-width space after it
    ("date_to=%E2%80%AE10-10-6202", NOT_A_DATE),  # right-to-left override
    ("date_from=" + "9" * 5000, NOT_A_DATE),
    ("date_from=%3Cscript%3Ealert(1)%3C/script%3E", NOT_A_DATE),
]


@pytest.mark.parametrize(("query", "message"), BAD_DATES)
def test_the_list_says_what_is_wrong_next_to_the_date_field(
    client, login, archived, query, message
):
    login(client, archived["lead"])
    response = client.get("/archive/?" + query)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    field = "date_to" if query.startswith("date_to") else "date_from"
    assert f'<p class="error" id="{field}-error" role="alert">{message}</p>' in html
    assert f'aria-describedby="{field}-error"' in html and 'aria-invalid="true"' in html
    assert "Some filters are not valid" in html
    assert "<script>alert" not in html


@pytest.mark.parametrize(("query", "message"), BAD_DATES)
def test_the_exports_answer_a_plain_400_and_export_nothing(client, login, archived, query, message):
    login(client, archived["lead"])
    for url in EXPORTS:
        response = client.get(url + query)
        text = response.get_data(as_text=True)
        assert response.status_code == 400, url
        assert response.mimetype == "text/plain" and "attachment" not in str(response.headers)
        assert "Some filters are not valid, so nothing was exported." in text
        assert message in text and ("Decided until" in text or "Decided from" in text)
        assert "<" not in text  # nothing of the request is echoed
    assert db.session.query(AuditEvent).filter_by(action="archive.exported").count() == 0


def test_the_date_inputs_offer_only_the_days_the_filter_accepts(client, login, archived):
    login(client, archived["lead"])
    html = client.get("/archive/").get_data(as_text=True)
    assert html.count('min="1900-01-01"') == 2 and html.count('max="2999-12-31"') == 2


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("date_from=1900-01-01&date_to=2999-12-31", ["march", "january"]),
        ("date_from=2026-01-10&date_to=2026-01-10", ["january"]),
        ("date_from=2026-01-11", ["march"]),
        ("date_to=2026-03-09", ["january"]),
        ("date_to=2026-03-10", ["march", "january"]),
    ],
)
def test_valid_dates_keep_filtering_the_list_and_both_exports(
    client, login, archived, query, expected
):
    login(client, archived["lead"])
    ids = [archived[name].id for name in expected]
    response = client.get("/archive/?" + query)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert [int(i) for i in _decision_links(html)] == ids
    data = json.loads(client.get("/archive/export.json?" + query).get_data(as_text=True))
    assert [d["decision_id"] for d in data["decisions"]] == ids
    csv_response = client.get("/archive/export.csv?" + query)
    assert csv_response.status_code == 200
    assert csv_response.get_data(as_text=True).count("\r\n") == len(ids) + 1


def _decision_links(html: str) -> list[str]:
    return re.findall(r'<td><a href="/archive/(\d+)">', html)


def test_the_service_takes_the_last_day_python_knows_without_overflowing(archived):
    every = list_decisions(archived["lead"], ArchiveFilters(date_to=date.max))
    assert every.total == 2
    early = list_decisions(archived["lead"], ArchiveFilters(date_from=date.min))
    assert early.total == 2
    none = list_decisions(archived["lead"], ArchiveFilters(date_from=date.max))
    assert none.total == 0


@pytest.mark.parametrize(
    "q",
    [
        "<script>alert(1)</script>",
        "\u202egnp.exe\u202c Dated",
        "Da\u200bted \u2066x\u2069",
        '"><img src=x onerror=alert(1)>',
    ],
)
def test_hostile_search_text_beside_the_dates_is_escaped_never_an_error(client, login, archived, q):
    login(client, archived["lead"])
    query = {"q": q, "date_from": "2026-01-01", "date_to": "2026-12-31"}
    response = client.get("/archive/", query_string=query)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<script>alert" not in html and "<img src=x" not in html
    for url in EXPORTS:
        assert client.get(url, query_string=query).status_code == 200, url


def test_a_huge_query_string_is_a_400_naming_each_wrong_filter(client, login, archived):
    login(client, archived["lead"])
    junk = [f"junk{n}=%E2%80%AE{n}" for n in range(2000)]
    huge = "&".join([*junk, "date_to=9999-12-31", "q=" + "x" * 50_000])
    for url in ("/archive/?", *EXPORTS):
        response = client.get(url + huge)
        text = response.get_data(as_text=True)
        assert response.status_code == 400, url
        assert RANGE in text and "Field cannot be longer than 200 characters." in text
    repeated = "&".join(["date_to=2026-01-01"] * 500)  # one field, many values: not a date
    assert NOT_A_DATE in client.get("/archive/?" + repeated).get_data(as_text=True)
