"""The archive's CSV export cannot run as a formula, whichever separator a spreadsheet uses.

PITFALLS 9 and 22: a cell starting with =, +, -, @, tab or CR is a formula to Excel,
LibreOffice and Google Sheets, and Danish, German and Hungarian Excel split on `;`.
"""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from app.services.archive_export import CSV_COLUMNS, csv_chunks, neutralise
from tests.archive_factory import at, decide, tamper

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PAYLOADS = (
    "safe;=1+2",
    '=HYPERLINK("x")',
    "+1",
    "-1",
    "@SUM(A1)",
    "\tTAB=1+2",
    "\rCR=1+2",
    'a;b;"=1+2";+3\n-4\r\n@5\r=6; =7;\t=8',
)
# A whole CSV text in which every field, on every line, is wrapped in double quotes
# (a quote inside a field doubled): what csv.QUOTE_ALL writes.
ALL_QUOTED = re.compile(r'(?:"(?:[^"]|"")*"(?:,"(?:[^"]|"")*")*\r\n)+')


@pytest.fixture
def hostile_archive(make_user, make_client):
    lead = make_user("lead", name="Lena Lead")
    team = [make_user("member") for _ in range(3)]
    for n, payload in enumerate(PAYLOADS, start=1):
        client = make_client(f"{payload} #{n}", actor=lead)
        decision = decide(
            lead,
            team,
            client,
            when=at(f"2026-01-{n:02d}"),
            rationale=payload,
            conflict=payload,
        )
        # The forms and services strip a leading tab or CR; rows written another way (an
        # import, a console session) need not be. Decisions are append-only, so only the
        # client's name and the review's conflict are rewritten here.
        tamper("UPDATE clients SET name = :text WHERE id = :id", text=payload, id=client.id)
        tamper(
            "UPDATE reviews SET conflict = :text WHERE id = :id",
            text=payload,
            id=decision.review_id,
        )
    return lead


def read(text: str, delimiter: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def assert_nothing_runs(text: str, delimiter: str) -> None:
    """No cell starts a formula, read by the csv module or split naively at every line
    break and separator, as a spreadsheet that ignores the quoting would split it."""
    for row in read(text, delimiter):
        for cell in row:
            assert not cell.startswith(FORMULA_START), (delimiter, cell)
    for line in re.split(r"\r\n|\r|\n", text):
        for piece in line.split(delimiter):
            assert not piece.lstrip(' "').startswith(FORMULA_START), (delimiter, piece)


def export_text(http) -> str:
    response = http.get("/archive/export.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    return response.get_data().decode("utf-8-sig")


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_no_cell_starts_a_formula_whether_the_spreadsheet_splits_on_commas_or_semicolons(
    client, login, hostile_archive, delimiter
):
    login(client, hostile_archive)
    text = export_text(client)
    assert len(read(text, ",")) == len(PAYLOADS) + 1
    assert_nothing_runs(text, delimiter)


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_every_column_of_the_writer_is_neutralised_tab_and_cr_included(delimiter):
    for payload in PAYLOADS:
        row = {column: payload for column in CSV_COLUMNS} | {
            "one_sided": True,
            "confirmed": [payload, payload],
        }
        text = "".join(csv_chunks(iter([row]))).lstrip("\ufeff")
        assert ALL_QUOTED.fullmatch(text), text
        assert_nothing_runs(text, delimiter)


def test_every_field_in_the_raw_csv_is_wrapped_in_double_quotes_headers_included(
    client, login, hostile_archive
):
    login(client, hostile_archive)
    text = export_text(client)
    assert text.startswith('"Sequence","Decision","Decided at (UTC)","Client",')
    assert ALL_QUOTED.fullmatch(text), text[:300]


def test_a_comma_reader_keeps_each_field_whole_and_shows_the_text_marked_as_text(
    client, login, hostile_archive
):
    login(client, hostile_archive)
    header, *rows = read(export_text(client), ",")
    assert all(len(row) == len(header) for row in rows)
    # the header row is in the reader's language; the columns' order is CSV_COLUMNS
    records = [dict(zip(CSV_COLUMNS, row, strict=True)) for row in rows]
    by_conflict = {record["conflict"]: record for record in records}
    assert {"'+1", "'-1", "'@SUM(A1)", "'\tTAB=1+2", "'\rCR=1+2"} <= set(by_conflict)
    assert '\'=HYPERLINK("x")' in by_conflict
    record = by_conflict["safe;'=1+2"]  # the text is kept, only marked after the `;`
    assert record["client"] == "safe;'=1+2" and record["rationale"] == "safe;'=1+2"
    assert {r["client"] for r in records} == set(by_conflict)


def test_the_json_export_keeps_the_text_exactly_as_written(client, login, hostile_archive):
    login(client, hostile_archive)
    data = json.loads(client.get("/archive/export.json").get_data(as_text=True))
    assert {d["client"] for d in data["decisions"]} == set(PAYLOADS)
    assert {d["conflict"] for d in data["decisions"]} == set(PAYLOADS)
    assert "safe;=1+2" in {d["rationale"] for d in data["decisions"]}


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("plain text", "plain text"),
        ("semi;colon", "semi;colon"),
        ("a;=1", "a;'=1"),
        ("a; =1", "a;' =1"),
        ('a;"=1', "a;'\"=1"),
        ("line\n+1", "line\n'+1"),
        ("x\r\r=1", "x\r'\r'=1"),
        (' "=1', "' \"=1"),
        (None, ""),
        (12, "12"),
        (-3, "'-3"),
    ],
)
def test_neutralise_marks_each_place_a_formula_could_start(value, shown):
    assert neutralise(value) == shown


def test_the_headers_alone_are_quoted_too():
    text = "".join(csv_chunks(iter([]))).lstrip("\ufeff")
    assert ALL_QUOTED.fullmatch(text) and text.count('"') == 2 * text.count(",") + 2
