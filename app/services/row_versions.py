"""What a review's stored answer rows hold, as a short token: on PostgreSQL their row
versions (below); for a closed review on SQLite, the digest of SQLite's own text of them
(`closed_rows_version`, at the end).

Every row PostgreSQL stores carries `xmin`, the transaction that wrote that version of it.
An UPDATE, a DELETE and an INSERT, whatever the statement and whoever sends it, gives the
rows it writes the current transaction's id, and no SQL statement can set one. So the
xmins of a decided review's answer rows (team and client, with their responses and
category choices) and of its decision's row, taken as a multiset, change with any change
to what those rows hold, and come back only if the same row versions do: putting a value
back writes a new version. The comparison page keeps its drawing of a decided review under
this version, so a request that finds the same version serves the drawing without reading
the 5,000 answer rows of a 100-member review and digesting them again (over half of the
page's time), and any edit behind the app's back still shows at once: a new version, no
kept drawing, the rows read and checked against the record (tests/web/test_frozen_record.py,
tests/web/test_compare_performance.py). The answers' check keeps its outcome under it
too (`review_data.answers_match`), so a decision's archive page does not read the rows
again while they hold (tests/services/test_row_versions.py).

What it does not see: a transaction id used again after PostgreSQL's 32-bit counter wraps
(about four billion transactions later, and only for rows that were removed and written
anew in exactly that transaction); and edits of the database's files by hand, which the
seal and `verify-archive` are for. SQLite keeps no row versions: there the answer rows are
read and checked whenever anything was written since the last check (None below).

The statement itself runs only when something was written to the database since it last
ran for this review; otherwise the same snapshot sees the same rows, so the same version
(app/services/unchanged_database.py).
"""

from __future__ import annotations

from sqlalchemy import text

from app.extensions import db
from app.services.answers_text import sqlite_rows_digest
from app.services.unchanged_database import while_unchanged

# One statement: the rows' xmins as a multiset (each with how many rows carry it: a
# submit's rows share one), sorted, digested by the server; no row leaves it. Grouping
# first sorts a hundred xmins instead of 5,000 for a 100-member review (1.7 -> 0.85 ms).
# The joins are the ones `StoredAnswers` reads the same rows through.
_VERSION = text(
    """
    SELECT md5(string_agg(x::text || '*' || n, ',' ORDER BY x::text::bigint))
    FROM (SELECT x, count(*) AS n FROM (
        SELECT r.xmin AS x FROM team_responses r WHERE r.review_id = :review
        UNION ALL
        SELECT a.xmin FROM team_answers a
            JOIN team_responses r ON r.id = a.response_id WHERE r.review_id = :review
        UNION ALL
        SELECT c.xmin FROM category_choices c
            JOIN team_responses r ON r.id = c.response_id WHERE r.review_id = :review
        UNION ALL
        SELECT k.xmin FROM client_responses k WHERE k.review_id = :review
        UNION ALL
        SELECT ca.xmin FROM client_answers ca
            JOIN client_responses k ON k.id = ca.client_response_id
            WHERE k.review_id = :review
        UNION ALL
        SELECT d.xmin FROM decisions d WHERE d.review_id = :review
    ) AS versions GROUP BY x) AS counted
    """
)


def decided_rows_version(review_id: int) -> str | None:
    """The version of a decided review's answer rows and decision row, or None where the
    database keeps no row versions (SQLite). Read it before the rows it vouches for: what
    is read after it is then at least as new."""
    if db.session.get_bind().dialect.name != "postgresql":
        return None
    return while_unchanged(
        ("rows-version", review_id), lambda: db.session.scalar(_VERSION, {"review": review_id})
    )


def closed_rows_version(review_id: int) -> str | None:
    """A token for what a closed review's answer rows hold, which the comparison page is
    kept under: after close the app writes none of them, so a new token means an edit made
    behind its back, and the page is drawn anew from the rows as they are. PostgreSQL: the
    rows' versions, as above. SQLite: the SHA-256 of SQLite's own text of the rows
    (app/services/answers_text.py), the same text only for the same rows. None where
    neither can be had: the page is then drawn on every request. Read it before the rows;
    kept while nothing is written to the database (unchanged_database.py)."""
    if db.session.get_bind().dialect.name == "postgresql":
        return decided_rows_version(review_id)
    return while_unchanged(("rows-digest", review_id), lambda: sqlite_rows_digest(review_id))
