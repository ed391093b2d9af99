"""A decided review's answer rows written out by SQLite itself, for the quick check of a
decision's pages.

A decision's record seals `answers_digest(raw_answer_rows(review))`: the SHA-256 of the
review's raw answer rows as canonical JSON (app/domain/record.py). On PostgreSQL a page
asks that only when the rows' version changes (app/services/row_versions.py); SQLite
keeps no row versions, so its pages check the rows on every request, and reading 5,000
rows of a 100-member review into Python and writing them out again was two thirds of a
decided comparison page's time.

Here SQLite's JSON functions write the same text in one statement: each row an object
with its keys in sorted order, its lists sorted, the rows sorted by their text (UTF-8
bytes sort as code points, as Python sorts text), joined without spaces; and Python
only hashes it. This way only ever says yes: a text that hashes to the sealed digest is,
byte for byte, the canonical text of the stored rows, so those rows are the sealed ones.
Anything else (a changed row, a text SQLite writes otherwise than Python, an order that
SQLite did not keep, JSON functions missing) returns no match here, and the caller asks
`StoredAnswers`, which decides (app/services/review_data.py `answers_match`).
"""

from __future__ import annotations

import hashlib

from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from app.extensions import db

# Each row's object is put together as text, its keys in sorted order (canonical_json
# sorts them); each value written by json_quote or json_array, as JSON; no text is parsed
# again (json() on every answer cost twice the rest). One literal, nothing formatted in:
# the review id is the only value, and it is bound.
_ROWS_TEXT = text(
    """
    SELECT '[' || coalesce(group_concat(row_text, ','), '') || ']' FROM (
        SELECT row_text FROM (
            SELECT '{"answers":[' || coalesce((SELECT group_concat(item, ',') FROM (
                    SELECT json_array(a.dimension_key, a.rating, a.confidence, a.comment)
                        AS item
                    FROM team_answers a WHERE a.response_id = r.id
                    ORDER BY a.dimension_key, a.rating, a.confidence, a.comment)), '')
                || '],"choices":[' || coalesce((SELECT group_concat(item, ',') FROM (
                    SELECT json_array(c.category_key, c.evidence) AS item
                    FROM category_choices c WHERE c.response_id = r.id
                    ORDER BY c.category_key, c.evidence)), '')
                || '],"complexity":' || json_quote(r.complexity)
                || ',"named":' || CASE WHEN r.consent_named THEN 'true' ELSE 'false' END
                || ',"status":' || json_quote(r.status)
                || ',"team":' || json_quote(r.user_id) || '}' AS row_text
            FROM team_responses r WHERE r.review_id = :review
            UNION ALL
            SELECT '{"answers":[' || coalesce((SELECT group_concat(item, ',') FROM (
                    SELECT json_array(ca.dimension_key, ca.rating, ca.comment) AS item
                    FROM client_answers ca WHERE ca.client_response_id = k.id
                    ORDER BY ca.dimension_key, ca.rating, ca.comment)), '')
                || '],"client":' || json_quote(k.source)
                || ',"comment":' || json_quote(k.comment)
                || ',"quote":' || json_quote(k.source_quote)
                || ',"recorded_by":' || json_quote(k.recorded_by_id) || '}'
            FROM client_responses k WHERE k.review_id = :review
        ) ORDER BY row_text
    )
    """
)


def sqlite_rows_digest(review_id: int) -> str | None:
    """The SHA-256 of SQLite's text of the review's answer rows; None on another database
    or an SQLite built without its JSON functions. Equal digests are equal rows."""
    if db.session.get_bind().dialect.name != "sqlite":
        return None
    try:
        written = db.session.connection().scalar(_ROWS_TEXT, {"review": review_id})
    except OperationalError:  # an SQLite built without its JSON functions
        return None
    return hashlib.sha256(written.encode("utf-8")).hexdigest()


def sqlite_answers_match(review_id: int, sealed: str) -> bool:
    """True only if SQLite's text of the review's answer rows hashes to `sealed`; False
    means "not shown here" (on another database too), never "changed"."""
    digest = sqlite_rows_digest(review_id)
    return digest is not None and digest == sealed
