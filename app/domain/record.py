"""DecisionRecord: the one builder and reader of a decision's sealed record.

A record (schema 2) says what a decision rested on, all of it: review and client (id
and name), who decided (id and name) and when, the rationale, the outcomes, the verdicts
as data, the per-question numbers and flags, the anonymised answers that redraw every
chart and recompute every verdict, each member's evidence and comments (with a name only
where the member chose to be named), the client's ratings and words, where the client's
view came from, the full catalogue version and the thresholds used, and a digest of the
raw answer rows as they were when the decision was taken.

It is stored as canonical JSON text, exactly the text that was sealed, so verification
never re-normalises JSON. The seal is an HMAC-SHA-256 with a key the database never
holds, over the previous decision's seal, the row's own columns (who decided, which
client and review, when, outcome, rationale, ...) and the record text: changing a row,
its record, its order or its neighbours breaks it, and nobody without the key can
recompute it. Records of schema 1 (before verdicts were data) stay readable and keep
their plain SHA-256 chain (app/domain/snapshot.py).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import orjson

from app.domain.catalogue import Catalogue
from app.domain.flags import new_flag
from app.domain.incidents import entries_digest
from app.domain.scoring import (
    CategoryChoice,
    ClientView,
    ReviewData,
    ReviewScores,
    TeamAnswer,
    TeamResponse,
)
from app.domain.snapshot import (
    canonical_json,
    scores_from_dict,
    scores_to_dict,
    verdict_from_dict,
    verdict_to_dict,
)
from app.domain.thresholds import Thresholds
from app.domain.verdict import Verdict

RECORD_SCHEMA = 2
GENESIS = "0" * 64


@dataclass(frozen=True)
class RowFacts:
    """The decision row's own columns, bound into the seal beside the record text."""

    sequence: int
    review_id: int
    client_id: int
    decided_by_id: int
    decided_at: str  # ISO 8601
    final_status: str
    rationale: str
    waiver: str
    one_sided: bool
    outcomes: Mapping[str, tuple[str, int]]  # category key -> (outcome, votes)

    def canonical(self) -> str:
        """Canonical JSON of the columns. Every value is text, a whole number, a boolean or a
        list of those, which canonical JSON leaves as they are: json.dumps with its settings
        gives the same text without the general walk (this runs once per decision when the
        archive is verified)."""
        return json.dumps(
            {
                "sequence": self.sequence,
                "review_id": self.review_id,
                "client_id": self.client_id,
                "decided_by_id": self.decided_by_id,
                "decided_at": self.decided_at,
                "final_status": self.final_status,
                "rationale": self.rationale,
                "waiver": self.waiver,
                "one_sided": bool(self.one_sided),
                "outcomes": {k: list(v) for k, v in sorted(self.outcomes.items())},
            },
            sort_keys=True,
            separators=(",", ":"),
            ensure_ascii=False,
        )


def seal(key: bytes, previous: str | None, facts: RowFacts, text: str) -> str:
    """HMAC-SHA-256 over the previous seal, the row's columns and the record text."""
    message = "\n".join((previous or GENESIS, facts.canonical(), text)).encode("utf-8")
    return hmac.digest(key, message, "sha256").hex()


def seal_matches(key: bytes, previous: str | None, facts: RowFacts, text: str, digest: str) -> bool:
    return hmac.compare_digest(seal(key, previous, facts, text), digest or "")


def answers_digest(rows: Iterable[Mapping[str, Any]]) -> str:
    """SHA-256 of the raw answer rows (team and client), in a stable order, so a later edit
    of any answer of a decided review is noticed."""
    ordered = sorted(rows, key=canonical_json)
    return hashlib.sha256(canonical_json(ordered).encode("utf-8")).hexdigest()


def _team_dict(response: TeamResponse) -> dict[str, Any]:
    # Evidence and comments are kept apart (below), so that answers stay anonymous.
    return {
        "respondent": response.respondent,
        "complexity": response.complexity,
        "answers": [
            {"dimension": a.dimension_key, "rating": a.rating, "confidence": a.confidence}
            for a in response.answers
        ],
        "choices": sorted({c.category_key for c in response.choices}),
    }


def build_record(
    *,
    review: Mapping[str, Any],
    client: Mapping[str, Any],
    decided_by: Mapping[str, Any],
    decided_at: str,
    rationale: str,
    outcomes: Mapping[str, str],
    waiver: str | None,
    one_sided: bool,
    final_status: str,
    data: ReviewData | None,
    scores: ReviewScores | None,
    verdicts: Sequence[Verdict],
    thresholds: Thresholds,
    catalogue: Catalogue,
    named: Sequence[str],
    evidence: Mapping[str, Sequence[tuple[str | None, str]]],
    comments: Mapping[str, Sequence[str]],
    client_words: Mapping[str, Any] | None,
    raw_answers_digest: str,
    withheld: Mapping[str, int] | None = None,
    incidents: Sequence[Mapping[str, Any]] | None = None,
) -> dict[str, Any]:
    """The record as plain JSON-able data. `data` and `scores` are None when too few
    members answered for any result to be shown (then `withheld` says how many).
    `incidents` are the incident-log entries attached to the review (as
    app/domain/incidents.py's `sealed_entry` shapes them); records sealed before the log
    existed have neither "incidents" nor "incidents_digest", and readers accept both."""
    client_view = data.client if data is not None else None
    record = {
        "schema": RECORD_SCHEMA,
        "review": dict(review),
        "client": dict(client),
        "decided_by": dict(decided_by),
        "decided_at": decided_at,
        "rationale": rationale,
        "outcomes": dict(outcomes),
        "waiver": waiver,
        "one_sided": bool(one_sided),
        "final_status": final_status,
        "withheld": dict(withheld) if withheld else None,
        "team": [_team_dict(r) for r in sorted(data.team, key=lambda r: r.respondent)]
        if data is not None
        else [],
        "client_view": None
        if client_view is None
        else {
            "ratings": dict(client_view.ratings),
            "source": client_view.source,
            "recorded_by": client_view.recorded_by,
            "quote": client_view.quote,
        },
        "client_words": dict(client_words) if client_words else None,
        "named": sorted(named),
        "evidence": {k: [[n, t] for n, t in v] for k, v in sorted(evidence.items())},
        "comments": {k: sorted(v) for k, v in sorted(comments.items())},
        "scores": scores_to_dict(scores) if scores is not None else None,
        "verdicts": [verdict_to_dict(v) for v in verdicts],
        "thresholds": exact_thresholds(thresholds),
        "catalogue": catalogue.to_dict(),
        "answers_digest": raw_answers_digest,
    }
    if incidents is not None:
        entries = sorted((dict(e) for e in incidents), key=lambda e: e["id"])
        record["incidents"] = entries
        record["incidents_digest"] = entries_digest(entries)
    return record


def incidents_of_record(record: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The attached incident entries a record sealed; none for records from before the log."""
    return list(record.get("incidents") or ())


def record_text(record: Mapping[str, Any]) -> str:
    """The exact text that is sealed and stored."""
    return canonical_json(record)


def read_record(text: str) -> dict[str, Any]:
    """The record from its stored text; raises ValueError when it is not a record.

    Parsed by orjson, not the standard library: a 100-member record is about 800 kB,
    which `json.loads` took 17 ms to read and orjson takes 7 (every cold drawing of a
    decided review's pages reads it). Both give the same values for any text the
    builder writes (tests/unit/domain/test_record_reading.py); a text it never writes
    (NaN, a number too large for a float) is refused as not a record, with ValueError."""
    record = orjson.loads(text)
    if not isinstance(record, dict) or record.get("schema") != RECORD_SCHEMA:
        raise ValueError(f"decision_record_expected: schema={RECORD_SCHEMA}")
    return record


def review_data_of(record: Mapping[str, Any]) -> ReviewData | None:
    """The anonymised review data the decision rested on, to recompute verdicts and charts."""
    if record.get("withheld"):
        return None
    client = record.get("client_view")
    # Answers equal in every field are one frozen instance, as the live rows make them
    # (app/services/review_rows.py): a 100-member record holds 5,000 answers and about a
    # thousand different ones, and a lookup costs a fifth of a construction.
    made: dict[tuple, TeamAnswer] = {}

    def answers_of(stored: Iterable[Mapping[str, Any]]) -> tuple[TeamAnswer, ...]:
        answers = []
        for a in stored:
            fields = (a["dimension"], a["rating"], a["confidence"])
            answer = made.get(fields)
            if answer is None:
                answer = made[fields] = TeamAnswer(*fields)
            answers.append(answer)
        return tuple(answers)

    return ReviewData(
        catalogue=catalogue_of_record(record),
        team=tuple(
            TeamResponse(
                respondent=r["respondent"],
                complexity=r["complexity"],
                answers=answers_of(r["answers"]),
                choices=tuple(CategoryChoice(key, "") for key in r["choices"]),
            )
            for r in record["team"]
        ),
        client=None
        if client is None
        else ClientView(
            client["ratings"],
            source=client["source"],
            recorded_by=client.get("recorded_by"),
            quote=client.get("quote"),
        ),
        quorum=record["review"]["quorum"],
        waiver_reason=record.get("waiver"),
        complexity_floor=record["review"]["complexity_floor"],
    )


def catalogue_of_record(record: Mapping[str, Any]) -> Catalogue:
    return Catalogue.from_dict(record["catalogue"])


def thresholds_of_record(record: Mapping[str, Any]) -> Thresholds:
    """The thresholds the decision was made under. A record sealed before the chance check
    existed (no agreement_chance) was decided without it: read as 1, the check turned off."""
    return Thresholds.from_mapping({"agreement_chance": 1, **record["thresholds"]})


def exact_thresholds(thresholds: Thresholds) -> dict[str, str]:
    """Thresholds as exact fractions ("2/3"), so canonical JSON's rounding never moves a bar."""
    return {
        name: str(Fraction(value).limit_denominator(10**6))
        for name, value in thresholds.to_dict().items()
    }


def scores_of_record(record: Mapping[str, Any]) -> ReviewScores | None:
    """The per-question figures exactly as sealed (floats rounded to 6 places)."""
    stored = record.get("scores")
    if not stored:
        return None
    # The quick maker score_review uses: a big record names thousands.
    flags = tuple(
        new_flag(
            f["dimension_key"],
            f["who"],
            f["rating_or_mean"],
            f["client_rating"],
            f["gap"],
            f["confidence"],
        )
        for f in stored["flags"]
    )
    return scores_from_dict(stored, flags)


def verdicts_of_record(record: Mapping[str, Any]) -> tuple[Verdict, ...]:
    """The verdicts exactly as they were when the lead decided, never recomputed: a later
    edition of the rule must not change what an archived decision says."""
    return tuple(verdict_from_dict(v) for v in record.get("verdicts") or ())
