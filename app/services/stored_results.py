"""A closed review's results, worked out once and kept: stored in the transaction that
closes the review, read by the comparison page while they still hold.

They hold while their basis is the review's own: the version of its answer rows
(`closed_rows_version`: an edit behind the app's back is a new version), its data version
and the deployment's thresholds. Any other basis,
a seal that does not match (results edited in the database, or an archive key changed),
or a text that is not stored results, and the page works them out from the rows as it
always did: nothing shown ever rests on results that no longer say what the rows say
(tests/services/test_stored_results.py). No request that only reads writes them.

Only the comparison page reads them. Charts, the graphs page, the decide page and the
decision itself read the answers through `review_data.results_for`, always from the rows.
"""

from __future__ import annotations

import logging

import orjson
from sqlalchemy import delete, select

from app.domain.lifecycle import ReviewState, may_see_results
from app.domain.stored_results import (
    StoredResults,
    read_stored_results,
    results_seal,
    results_seal_matches,
    stored_results_text,
)
from app.extensions import db
from app.models import Review, StoredResultsRow
from app.services.catalogue import catalogue_of
from app.services.errors import TooFewRespondents
from app.services.records import archive_key
from app.services.review_data import (
    ClientWords,
    ReviewResults,
    results_for,
    results_from_rows,
)
from app.services.row_versions import closed_rows_version
from app.services.thresholds import current_thresholds

log = logging.getLogger(__name__)


def _basis(review_id: int, data_version: int) -> tuple[str, str] | None:
    """(basis, rows' version), or None where what the rows hold cannot be told."""
    version = closed_rows_version(review_id)  # first: what is read after it is as new
    if version is None:
        return None
    thresholds = orjson.dumps(current_thresholds().to_dict(), option=orjson.OPT_SORT_KEYS)
    return f"rows={version};data={data_version};thresholds={thresholds.decode()}", version


def store_results(review: Review) -> None:
    """Work out a closed review's results from its rows and keep them, replacing any kept
    before. Call inside the transaction that closes the review, after the change: they are
    then stored with it or not at all. Below the minimum of
    respondents there are no results, and nothing is kept."""
    db.session.execute(delete(StoredResultsRow).where(StoredResultsRow.review_id == review.id))
    data_version = db.session.scalar(select(Review.data_version).where(Review.id == review.id))
    found = _basis(review.id, data_version)
    if found is None:
        return
    basis, version = found
    try:
        results = results_from_rows(review, None, current_thresholds(), version)
    except TooFewRespondents:
        return
    text = stored_results_text(
        StoredResults(
            scores=results.scores,
            verdicts=results.verdicts,
            named=results.named_participants,
            evidence=results.evidence,
            comments=results.comments,
            client_words=results.client_response.to_dict() if results.client_response else None,
            has_client=results.has_client,
            quorum=results.quorum,
        )
    )
    seal = results_seal(archive_key(), review.id, basis, text)
    db.session.add(StoredResultsRow(review_id=review.id, basis=basis, body=text, seal=seal))


def stored_results_for(review: Review) -> ReviewResults | None:
    """The closed review's kept results while they hold (module text); else None."""
    if review.state != ReviewState.CLOSED:
        return None
    row = db.session.execute(
        select(StoredResultsRow.basis, StoredResultsRow.body, StoredResultsRow.seal).where(
            StoredResultsRow.review_id == review.id
        )
    ).one_or_none()
    if row is None:
        return None
    found = _basis(review.id, review.data_version)
    if found is None or found[0] != row.basis:
        return None
    basis, version = found
    if not results_seal_matches(archive_key(), review.id, basis, row.body, row.seal):
        log.warning("stored results of review %s do not match their seal: not used", review.id)
        return None
    try:
        stored = read_stored_results(row.body)
    except ValueError:
        log.warning("stored results of review %s cannot be read: not used", review.id)
        return None
    words = stored.client_words
    return ReviewResults(
        catalogue=catalogue_of(review.catalogue_version),
        data=None,
        scores=stored.scores,
        verdicts=stored.verdicts,
        client_response=ClientWords.from_dict(words) if words else None,
        named_participants=stored.named,
        evidence=dict(stored.evidence),
        comments=dict(stored.comments),
        thresholds=current_thresholds(),
        has_client=stored.has_client,
        quorum=stored.quorum,
        rows_version=version,
    )


def results_for_page(review: Review) -> ReviewResults:
    """`results_for`, from the kept results while they hold. The lifecycle is asked first,
    as there: an open review has none to show, kept or not."""
    if may_see_results(review.state):
        kept = stored_results_for(review)
        if kept is not None:
            return kept
    return results_for(review)
