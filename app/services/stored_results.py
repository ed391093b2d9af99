"""A review's results, worked out once and kept: stored in the transaction that closes the
review, and again in the one that decides it; read by the comparison page while they
still hold.

A closed review's hold while their basis is the review's own: the version of its answer
rows (`closed_rows_version`: an edit behind the app's back is a new version), its data
version and the deployment's thresholds. A decided review's are what its sealed record
says, read from the record's text as the page would read it, and hold while the record
is that text (its hash); the answer rows are still checked against the record's digest
on every drawing, as for a page drawn from the record. Any other basis, a seal that does
not match (results edited in the database, or an archive key changed), or a text that
is not stored results, and the page works them out from the rows as it always did
(refusals are logged as `stored_results_refused`): nothing shown ever rests on results
that no longer say what the rows say (tests/services/test_stored_results*.py). No
request that only reads writes them.

Only the comparison page reads them. Charts, the graphs page, the decide page and the
decision itself read the answers through `review_data.results_for`, always from the rows.
"""

from __future__ import annotations

from functools import lru_cache, partial

import orjson
from sqlalchemy import bindparam, delete, select

from app import logs
from app.database import prepared
from app.domain.catalogue import Catalogue
from app.domain.lifecycle import ReviewState, may_see_results
from app.domain.record import read_record
from app.domain.stored_results import (
    StoredResults,
    read_stored_results,
    results_seal,
    results_seal_matches,
    stored_results_text,
)
from app.domain.thresholds import Thresholds
from app.extensions import db
from app.models import Review, StoredResultsRow
from app.services import review_data
from app.services.catalogue import for_reader
from app.services.errors import TooFewRespondents
from app.services.records import archive_key, record_text_hash
from app.services.review_data import ClientWords, ReviewResults, results_from_rows
from app.services.row_versions import closed_rows_version, decided_rows_version
from app.services.thresholds import current_thresholds


def _closed_basis(review_id: int, data_version: int) -> tuple[str, str] | None:
    """(basis, rows' version), or None where what the rows hold cannot be told."""
    version = closed_rows_version(review_id)  # first: what is read after it is as new
    if version is None:
        return None
    thresholds = _thresholds_text(current_thresholds())
    return f"rows={version};data={data_version};thresholds={thresholds}", version


@lru_cache(maxsize=16)
def _thresholds_text(thresholds: Thresholds) -> str:
    """The thresholds as the basis spells them; worked out once per setting (a deployment
    has one), not on every cold page."""
    return orjson.dumps(thresholds.to_dict(), option=orjson.OPT_SORT_KEYS).decode()


def _decided_basis(record_hash: str) -> str:
    return f"record={record_hash}"


def _forget(review_id: int) -> None:
    db.session.execute(delete(StoredResultsRow).where(StoredResultsRow.review_id == review_id))


def _keep(
    review_id: int,
    basis: str,
    results: ReviewResults,
    catalogue: dict | None = None,
    rows_version: str = "",
    decision_id: int | None = None,
) -> None:
    """Seal and keep `results`, with their catalogue's document (`catalogue`, else theirs):
    a page drawn from them needs no more of the database."""
    document = catalogue if catalogue is not None else results.catalogue.to_dict()
    stored = stored_results_text(
        StoredResults(
            scores=results.scores,
            verdicts=results.verdicts,
            named=results.named_participants,
            evidence=results.evidence,
            comments=results.comments,
            client_words=results.client_response.to_dict() if results.client_response else None,
            has_client=results.has_client,
            quorum=results.quorum,
            thresholds=results.thresholds,
            answers_digest=results.answers_digest,
            catalogue_text=orjson.dumps(document).decode(),
            rows_version=rows_version,
            decision_id=decision_id,
        )
    )
    seal = results_seal(archive_key(), review_id, basis, stored.body)
    db.session.add(
        StoredResultsRow(
            review_id=review_id,
            basis=basis,
            body=stored.body,
            flag_rows=stored.flag_rows,
            seal=seal,
        )
    )


def store_results(review: Review) -> None:
    """Work out a closed review's results from its rows and keep them, replacing any kept
    before. Call inside the transaction that closes the review, after the change: they are
    then stored with it or not at all. Below the minimum of respondents there are no
    results, and nothing is kept."""
    _forget(review.id)
    data_version = db.session.scalar(select(Review.data_version).where(Review.id == review.id))
    found = _closed_basis(review.id, data_version)
    if found is None:
        return
    basis, version = found
    try:
        results = results_from_rows(review, None, current_thresholds(), version)
    except TooFewRespondents:
        return
    _keep(review.id, basis, results)


def store_record_results(review_id: int, decision_id: int, text: str) -> None:
    """Keep what a decision's sealed record says, read from its exact text (`text`), as the
    decided page reads it. Call inside the transaction that seals it."""
    _forget(review_id)
    record = read_record(text)
    try:
        results = review_data.results_of_record(record)
    except TooFewRespondents:
        return  # no results were shown, and none are kept
    # The answer rows as they are in this transaction, the decision's row written: the
    # rows the record's digest was just taken from.
    sealed_rows = decided_rows_version(review_id) or ""
    basis = _decided_basis(record_text_hash(text))
    _keep(review_id, basis, results, record["catalogue"], sealed_rows, decision_id)


# Every cold page of a closed or decided review reads its row: built once, prepared
# (app/database.py).
_STORED = prepared(
    select(StoredResultsRow.basis, StoredResultsRow.body, StoredResultsRow.seal).where(
        StoredResultsRow.review_id == bindparam("review_id")
    )
)


def stored_results_for(review: Review) -> ReviewResults | None:
    """The review's kept results while they hold (module text); else None."""
    from app.services.decisions import sealed_record_hash  # it stores them: imports this

    decided = review.state == ReviewState.DECIDED
    if decided:
        version = decided_rows_version(review.id)  # first: what is read after it is as new
        record_hash = sealed_record_hash(review.id)
        basis = _decided_basis(record_hash) if record_hash is not None else None
    elif review.state == ReviewState.CLOSED:
        found = _closed_basis(review.id, review.data_version)
        basis, version = found if found is not None else (None, None)
    else:
        return None
    if basis is None:
        return None
    row = db.session.execute(_STORED, {"review_id": review.id}).one_or_none()
    if row is None or row.basis != basis:
        return None
    if not isinstance(row.body, bytes):  # SQLite lets an UPDATE store text in a blob column
        _refused(review.id, "not_bytes")
        return None
    if not results_seal_matches(archive_key(), review.id, basis, row.body, row.seal):
        _refused(review.id, "seal")
        return None
    try:
        stored = read_stored_results(row.body, partial(_flag_rows_of, review.id))
        catalogue = _catalogue_of_text(stored.catalogue_text)
    except ValueError:
        _refused(review.id, "unreadable")
        return None
    words = stored.client_words
    return ReviewResults(
        catalogue=for_reader(catalogue),
        data=None,
        scores=stored.scores,
        verdicts=stored.verdicts,
        client_response=ClientWords.from_dict(words) if words else None,
        named_participants=stored.named,
        evidence=dict(stored.evidence),
        comments=dict(stored.comments),
        thresholds=stored.thresholds,
        has_client=stored.has_client,
        quorum=stored.quorum,
        frozen=decided,
        rows_changed=decided and not _rows_as_sealed(review.id, version, stored),
        answers_digest=stored.answers_digest,
        rows_version=version,
        decision_id=stored.decision_id if decided else None,
    )


def _refused(review_id: int, reason: str) -> None:
    """Stored results that are not the app's own: someone wrote to the table, or the
    archive key changed. The page reads the rows instead; the operator is told, in the
    security log (app/logs.py), as for any other sign of tampering."""
    logs.event(logs.SECURITY, "stored_results_refused", review=review_id, reason=reason)


def _flag_rows_of(review_id: int) -> bytes:
    """The flags' rows, read only when a flag is (the body checks them by their hash)."""
    return db.session.scalar(
        select(StoredResultsRow.flag_rows).where(StoredResultsRow.review_id == review_id)
    )


def _rows_as_sealed(review_id: int, version: str | None, stored: StoredResults) -> bool:
    """Whether a decided review's answer rows still hold what its record sealed. Rows with
    the version they had when it was sealed are those rows (PostgreSQL; any write to them
    is a new version): no need to read 5,000 of them, which took 19 ms of a cold page
    whenever the shared store had lost the check's outcome. Any other version is checked
    against the record's digest, the long way."""
    if version is not None and stored.rows_version and version == stored.rows_version:
        return True
    return review_data.answers_match(review_id, stored.answers_digest)


@lru_cache(maxsize=64)
def _catalogue_of_text(text: str) -> Catalogue:
    """The catalogue the results were worked out with (a decided review's as its record
    sealed it): parsed once per text, as a few catalogue versions serve every review."""
    return Catalogue.from_dict(orjson.loads(text))


def results_for_page(review: Review) -> ReviewResults:
    """`review_data.results_for`, from the kept results while they hold. The lifecycle is
    asked first, as there: an open review has none to show, kept or not."""
    if may_see_results(review.state):
        kept = stored_results_for(review)
        if kept is not None:
            return kept
    return review_data.results_for(review)
