"""A closed review's results as worked out at close: the one builder and reader of their
stored form, and its seal.

A closed review's answers are frozen (no answer, the client's included, is taken after
close), so its results are worked out once, when it closes, and kept beside it
(app/services/stored_results.py). The comparison page is drawn from them while they
still hold; reading, scoring and judging the 5,000 answers of a 100-member review was two
thirds of drawing its page.

They hold what the page reads and nothing it does not: the per-question figures, the
verdicts (each with the members it names), who chose to be named, the evidence and
comments, the client's words, whether the client's view is there and the quorum. Not
the answers: charts, the graphs page and a decision read those from the rows. The flags
are one text of rows kept apart, bound to the rest by their SHA-256, read and made into
flags only when something reads one (`FlagRows`): the page only counts them. Floats
are kept exactly, as orjson writes them, so a page drawn from stored results is the page
drawn from the rows, byte for byte.

`basis` says what they were worked out from (the rows' version, the data version, the
thresholds); the service keeps it and uses them only while the review's own basis is the
same. The seal is an HMAC-SHA-256 with the archive key (which the database never holds)
over the review's id, the basis and the body (which holds the flags' hash): results
edited in the database, or moved to another review or basis, no longer match it, and the
page is worked out from the rows again.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import orjson

from app.domain.errors import DomainError
from app.domain.flags import FlagRows, flag_rows_text
from app.domain.scoring import ReviewScores
from app.domain.snapshot import (
    scores_from_dict,
    scores_to_dict,
    verdict_from_dict,
    verdict_to_dict,
)
from app.domain.thresholds import Thresholds
from app.domain.verdict import Verdict

STORED_RESULTS_SCHEMA = 1
_SEAL_LABEL = b"candor stored results 1\n"


@dataclass(frozen=True)
class StoredResults:
    scores: ReviewScores
    verdicts: tuple[Verdict, ...]
    named: tuple[str, ...]
    evidence: Mapping[str, list[tuple[str | None, str]]]
    comments: Mapping[str, list[str]]
    client_words: Mapping[str, Any] | None  # as the service's ClientWords.to_dict writes it
    has_client: bool
    quorum: int
    thresholds: Thresholds  # what the verdicts were judged under
    # The catalogue's document as JSON text (a decided review's as its record sealed it).
    catalogue_text: str = ""
    # A decided review's: the digest of its answer rows its record sealed, which the page
    # checks the rows against ("" for a closed review).
    answers_digest: str = ""
    # A decided review's answer rows' version as its record was sealed (PostgreSQL's row
    # versions, app/services/row_versions.py; "" where none is kept): while the rows still
    # have it, they are the rows the record's digest was taken from.
    rows_version: str = ""
    decision_id: int | None = None  # a decided review's decision


@dataclass(frozen=True)
class StoredText:
    """What is stored: the body, which the seal covers, and the flags' rows apart, which
    the body binds by their SHA-256 (so the seal covers them too) and which a page that
    only counts the flags never reads."""

    body: bytes
    flag_rows: bytes


def stored_results_text(results: StoredResults) -> StoredText:
    scores = scores_to_dict(results.scores)
    flags = scores.pop("flags")
    flag_rows = flag_rows_text(results.scores.flags)
    body = orjson.dumps(
        {
            "schema": STORED_RESULTS_SCHEMA,
            "scores": scores,
            "flag_count": len(flags),
            "flags_sha256": hashlib.sha256(flag_rows).hexdigest(),
            "verdicts": [verdict_to_dict(v) for v in results.verdicts],
            "named": list(results.named),
            "evidence": {k: [[n, t] for n, t in v] for k, v in results.evidence.items()},
            "comments": {k: list(v) for k, v in results.comments.items()},
            "client_words": dict(results.client_words) if results.client_words else None,
            "has_client": results.has_client,
            "quorum": results.quorum,
            "thresholds": results.thresholds.to_dict(),
            "answers_digest": results.answers_digest,
            "catalogue": results.catalogue_text,
            "rows_version": results.rows_version,
            "decision_id": results.decision_id,
        }
    )
    return StoredText(body, flag_rows)


@lru_cache(maxsize=16)
def _thresholds(items: tuple[tuple[str, Any], ...]) -> Thresholds:
    """Stored thresholds as a Thresholds, made and checked once per setting (a deployment
    has one or two) instead of on every cold page."""
    return Thresholds(**dict(items))


def read_stored_results(body: bytes, read_flag_rows: Callable[[], bytes]) -> StoredResults:
    """Raises ValueError for a body `stored_results_text` did not write. The flags' rows
    are asked of `read_flag_rows` only when a flag is read, and refused (ValueError) then
    unless they are the rows the body names."""
    try:
        stored = orjson.loads(body)
        if not isinstance(stored, dict) or stored.get("schema") != STORED_RESULTS_SCHEMA:
            raise ValueError
        flags = FlagRows(stored["flag_count"], _checked(read_flag_rows, stored["flags_sha256"]))
        return StoredResults(
            scores=scores_from_dict(stored["scores"], flags),
            verdicts=tuple(verdict_from_dict(v) for v in stored["verdicts"]),
            named=tuple(stored["named"]),
            evidence={k: [(n, t) for n, t in v] for k, v in stored["evidence"].items()},
            comments=stored["comments"],
            client_words=stored["client_words"],
            has_client=stored["has_client"],
            quorum=stored["quorum"],
            thresholds=_thresholds(tuple(sorted(stored["thresholds"].items()))),
            answers_digest=stored["answers_digest"],
            catalogue_text=stored["catalogue"],
            rows_version=stored["rows_version"],
            decision_id=stored["decision_id"],
        )
    except (ValueError, KeyError, TypeError, AttributeError, DomainError) as error:
        raise ValueError(f"stored_results_expected: schema={STORED_RESULTS_SCHEMA}") from error


def _checked(read_flag_rows: Callable[[], bytes], sha256: str) -> Callable[[], bytes]:
    if not isinstance(sha256, str):
        raise ValueError("flags_sha256")

    def read() -> bytes:
        rows = read_flag_rows()
        if not isinstance(rows, bytes) or hashlib.sha256(rows).hexdigest() != sha256:
            raise ValueError("flag_rows_not_the_stored_ones")
        return rows

    return read


def _sealed_text(review_id: int, basis: str, text: bytes) -> bytes:
    # Each part's length first, so no split of the same bytes into other parts matches.
    framed = f"{review_id}\n{len(basis)}:{basis}\n{len(text)}:".encode()
    return _SEAL_LABEL + framed + text


def results_seal(key: bytes, review_id: int, basis: str, text: bytes) -> str:
    return hmac.new(key, _sealed_text(review_id, basis, text), hashlib.sha256).hexdigest()


def results_seal_matches(key: bytes, review_id: int, basis: str, text: bytes, seal: str) -> bool:
    return hmac.compare_digest(results_seal(key, review_id, basis, text), seal)
