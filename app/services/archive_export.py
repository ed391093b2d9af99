"""Exports of the archive: the filtered list as CSV or JSON, one decision as JSON.

The list is read in keyset batches of plain rows (no ORM objects, nothing kept in the
session), so exporting 100,000 decisions holds one batch in memory at a time. Every
export is recorded in the audit log before the first byte is sent.

CSV against formula injection (PITFALLS 9 and 22), for every cell, headers included:

- every field is quoted (csv.QUOTE_ALL), so a reader that splits on commas keeps each
  field whole, whatever it contains;
- a cell that starts with =, +, -, @, tab or CR (after any spaces or quotes) gets a
  leading apostrophe, which spreadsheets read as "this is text";
- quoting alone does not protect a reader that splits on `;` (Danish, German and
  Hungarian Excel): it sees `"1","safe;=1+2"` as `1,"safe` and `=1+2"`, because only a
  line's first field starts with the quote that would keep it whole. A line break
  inside a cell ends its line for such a reader too. So wherever a cell holds `;`,
  a tab or a line break followed by a formula character, an apostrophe goes right
  after that separator: `safe;'=1+2`. The JSON export keeps the text as it was.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator, Mapping
from datetime import datetime
from types import MappingProxyType
from typing import Any

from sqlalchemy import Select

from app.extensions import db
from app.models import Decision, Review, User
from app.services import audit
from app.services._tx import transaction
from app.services.archive_query import (
    NEWEST_FIRST,
    ArchiveFilters,
    keyset_after,
    visible_decisions,
)
from app.services.archive_rows import category_names, outcomes_of, row_select
from app.services.archive_verify import verify_one

BATCH_SIZE = 500
CSV_COLUMNS = (
    "sequence",
    "decision_id",
    "decided_at",
    "client",
    "client_id",
    "review_id",
    "decided_by",
    "final_status",
    "one_sided",
    "confirmed",
    "not_confirmed",
    "waiver_reason",
    "rationale",
    "conflict",
    "digest",
    "previous_digest",
)
# Characters that make Excel, LibreOffice or Google Sheets read a cell as a formula
# (CVE-2019-16184 and the OWASP CSV-injection page): quote them as text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Where a spreadsheet that splits on `;` (or tabs), or ends a line at a line break,
# starts a new cell inside one of ours; the apostrophe goes right after it.
_INNER_CELL_START = re.compile(r"([;\t\r\n])(?=[ \"]*[=+\-@\t\r])")


def _starts_formula(text: str) -> bool:
    return text.startswith(FORMULA_START) or text.lstrip(' "').startswith(FORMULA_START)


def neutralise(value: object) -> str:
    """The cell's text as a spreadsheet will show it and never run it (see the module doc)."""
    text = "" if value is None else str(value)
    text = _INNER_CELL_START.sub(r"\1'", text)
    return "'" + text if _starts_formula(text) else text


def record_export(
    user: User, export_format: str, object_type: str, object_id: int | None, **details
) -> None:
    with transaction():
        audit.record(
            "archive.exported", object_type, object_id, user, format=export_format, **details
        )


def export_rows(
    user: User, filters: ArchiveFilters, batch_size: int = BATCH_SIZE
) -> Iterator[dict]:
    """Every visible decision matching `filters`, newest first, as plain dicts.

    The query is built now (the user's scope is read while the request is alive); the
    rows are read lazily, one keyset batch at a time, as the response is streamed.
    """
    base = row_select(
        Decision.rationale,
        Decision.waiver_reason,
        Decision.digest,
        Decision.previous_digest,
        Review.conflict,
    ).join(Review, Review.id == Decision.review_id)
    query = visible_decisions(user, filters, base).order_by(*NEWEST_FIRST).limit(batch_size)
    return _read_batches(query, category_names(), batch_size)


def _read_batches(query: Select, names: dict[str, str], batch_size: int) -> Iterator[dict]:
    last: tuple[datetime, int] | None = None
    while True:
        batch = db.session.execute(query.where(keyset_after(last))).all()
        if not batch:
            return
        outcomes = outcomes_of([r.id for r in batch])
        for r in batch:
            yield _export_row(r, outcomes[r.id], names)
        if len(batch) < batch_size:
            return
        last = (batch[-1].decided_at, batch[-1].id)


def _export_row(r, pairs: list[tuple[str, str]], names: dict[str, str]) -> dict:
    return {
        "sequence": r.sequence,
        "decision_id": r.id,
        "decided_at": r.decided_at.isoformat(),
        "client": r.client_name,
        "client_id": r.client_id,
        "review_id": r.review_id,
        "decided_by": r.decided_by,
        "final_status": r.final_status,
        "one_sided": r.one_sided,
        "confirmed": [names.get(k, k) for k, o in pairs if o == "confirmed"],
        "not_confirmed": [names.get(k, k) for k, o in pairs if o != "confirmed"],
        "waiver_reason": r.waiver_reason,
        "rationale": r.rationale,
        "conflict": r.conflict,
        "digest": r.digest,
        "previous_digest": r.previous_digest,
    }


def _csv_cell(value: object, words: Mapping[bool, str]) -> str:
    if isinstance(value, bool):
        value = words[value]
    elif isinstance(value, list):
        value = "; ".join(value)
    return neutralise(value)


def csv_chunks(
    rows: Iterator[dict],
    rows_per_chunk: int = 200,
    headings: Mapping[str, str] | None = None,
    words: Mapping[bool, str] = MappingProxyType({True: "yes", False: "no"}),
) -> Iterator[str]:
    """The CSV text in chunks; starts with a byte-order mark so spreadsheets read UTF-8.
    `headings` and `words` (for yes and no) are the reader's language; the columns'
    order is the same in every language."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow([neutralise((headings or {}).get(column, column)) for column in CSV_COLUMNS])
    yield "\ufeff" + buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    for count, row in enumerate(rows, start=1):
        writer.writerow([_csv_cell(row[column], words) for column in CSV_COLUMNS])
        if count % rows_per_chunk == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if buffer.getvalue():
        yield buffer.getvalue()


def json_chunks(rows: Iterator[dict], meta: dict) -> Iterator[str]:
    """{"exported_at": ..., "filters": {...}, "decisions": [...]} written as it is read."""
    head = json.dumps(meta, ensure_ascii=False, sort_keys=True)
    yield head[:-1] + (", " if meta else "") + '"decisions": ['
    for count, row in enumerate(rows):
        yield ("," if count else "") + "\n" + json.dumps(row, ensure_ascii=False)
    yield "\n]}\n"


def decision_document(decision: Decision) -> dict:
    """One decision as JSON: its row, its sealed snapshot and whether the record verifies."""
    check = verify_one(decision)
    return {
        "decision": {
            "id": decision.id,
            "sequence": decision.sequence,
            "review_id": decision.review_id,
            "client_id": decision.client_id,
            "decided_by_id": decision.decided_by_id,
            "decided_at": decision.decided_at.isoformat(),
            "final_status": decision.final_status,
            "one_sided": decision.one_sided,
            "waiver_reason": decision.waiver_reason,
            "rationale": decision.rationale,
            "categories": {c.category_key: c.outcome for c in decision.categories},
            "digest": decision.digest,
            "previous_digest": decision.previous_digest,
        },
        "record": _readable_record(decision),
        "verification": {"ok": check.ok, "problem": check.problem, "reason": check.reason},
    }


def _readable_record(decision: Decision) -> Any:
    """The sealed record (or an older decision's snapshot); unreadable text is exported as
    it is stored, so the export shows what verification rejected."""
    try:
        return decision.record
    except ValueError:
        return decision.record_text
