"""Canonical JSON, and the schema-1 snapshot with its plain SHA-256 chain.

Canonical JSON is what every record (app/domain/record.py) is sealed over. Decisions
archived before schema 2 stored a snapshot and digest = sha256(previous digest, or 64
zeros for the first, + "\\n" + canonical JSON); `chain_digest` recomputes it for them
(app/services/archive_verify.py), and `build_snapshot` still describes their shape.

Canonical JSON sorts keys, has no spaces, keeps non-ASCII text as is, rounds floats to
6 decimals and writes whole-valued floats as integers, so the digest does not depend
on how a database hands numbers back (4.0 vs 4, 0.6666666666666666 vs 0.666667).
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, fields, is_dataclass
from enum import Enum
from typing import Any

from app.domain.agreement import Agreement, DimensionAgreement
from app.domain.conditions import Condition
from app.domain.errors import SnapshotNotSerializable
from app.domain.flags import OverconfidenceFlag
from app.domain.scoring import DimensionStats, ReviewScores
from app.domain.thresholds import Thresholds
from app.domain.verdict import Verdict

GENESIS_DIGEST = "0" * 64
SNAPSHOT_SCHEMA = 1  # decisions before app/domain/record.py (schema 2); kept to read them


def _normalise(value: Any, path: str = "$") -> Any:
    """JSON-ready value; on a value without a JSON form, raise naming where it sits."""
    try:
        return _fast(value)
    except SnapshotNotSerializable:
        return _located(value, path)  # the slow walk only to say where the problem is


# Finer reasons than SnapshotNotSerializable's own code (a value of a type JSON lacks).
NOT_FINITE = "snapshot_not_finite"
KEY_NOT_TEXT = "snapshot_key_not_text"


def _fast(value: Any) -> Any:
    if isinstance(value, Enum):  # before str/int: a str-Enum member is also a str
        return _fast(value.value)
    if value is None or isinstance(value, bool | str | int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise SnapshotNotSerializable(code=NOT_FINITE)
        rounded = round(value, 6) + 0.0  # + 0.0 turns -0.0 into 0.0
        return int(rounded) if rounded.is_integer() else rounded
    if isinstance(value, Mapping):
        if not all(isinstance(key, str) for key in value):
            raise SnapshotNotSerializable(code=KEY_NOT_TEXT)
        return {key: _fast(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_fast(item) for item in value]
    raise SnapshotNotSerializable(type=type(value).__name__)


def _located(value: Any, path: str) -> Any:
    if isinstance(value, Enum):
        return _located(value.value, path)
    if isinstance(value, float) and not math.isfinite(value):
        raise SnapshotNotSerializable(code=NOT_FINITE, path=path, value=repr(value))
    if value is None or isinstance(value, bool | str | int | float):
        return _fast(value)
    if isinstance(value, Mapping):
        for key in value:
            if not isinstance(key, str):
                raise SnapshotNotSerializable(code=KEY_NOT_TEXT, path=path, key=repr(key))
        return {key: _located(item, f"{path}.{key}") for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_located(item, f"{path}[{index}]") for index, item in enumerate(value)]
    raise SnapshotNotSerializable(path=path, type=type(value).__name__)


def canonical_json(obj: Any) -> str:
    return json.dumps(
        _normalise(obj), sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def chain_digest(snapshot: Mapping[str, Any], previous_digest: str | None) -> str:
    payload = (previous_digest or GENESIS_DIGEST) + "\n" + canonical_json(snapshot)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainCheck:
    """Whether the chain holds; `checked` counts records examined, up to the first broken one."""

    ok: bool
    checked: int
    first_broken_sequence: int | None
    reason: str


def _jsonable(value: Any) -> Any:
    """asdict output with tuples as lists and mappings as plain dicts, as JSON would load it."""
    if is_dataclass(value) and not isinstance(value, type):
        return _jsonable(asdict(value))
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Mapping):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    return value


def scores_to_dict(scores: ReviewScores) -> dict[str, Any]:
    return _jsonable(scores)


def scores_from_dict(
    stored: Mapping[str, Any], flags: Sequence[OverconfidenceFlag]
) -> ReviewScores:
    """`scores_to_dict`'s output read back, with the flags its reader made from it (a
    sealed record lists them, stored results keep them apart: app/domain/flags.py)."""
    return ReviewScores(
        **{
            **stored,
            "dimensions": tuple(_dimension_stats(d) for d in stored["dimensions"]),
            "flags": flags,
        }
    )


_DIMENSION_FIELDS = frozenset(field.name for field in fields(DimensionStats))


def _dimension_stats(stored: Mapping[str, Any]) -> DimensionStats:
    """`DimensionStats(**stored)` at a fraction of its cost, when `stored` names exactly its
    fields: a frozen dataclass's __init__ sets each of the 15 through object.__setattr__,
    and a drawing from stored results reads 50 of them (0.4 ms). The instance's __dict__ is
    filled instead, which is what those calls end in, so the object is the same: equal,
    hashable, frozen to any later assignment. Anything else (a record from before a field
    existed, a name that is not a field) goes through __init__, which fills the defaults
    or refuses it."""
    if stored.keys() != _DIMENSION_FIELDS:
        return DimensionStats(**{**stored, "flagged_members": tuple(stored["flagged_members"])})
    stats = object.__new__(DimensionStats)
    stats.__dict__.update(stored)
    stats.__dict__["flagged_members"] = tuple(stored["flagged_members"])
    return stats


def verdict_to_dict(verdict: Verdict) -> dict[str, Any]:
    data = _jsonable(verdict)
    for stored, condition in zip(data["conditions"], verdict.conditions, strict=True):
        stored["key"] = condition.key
    data["failed_conditions"] = list(verdict.failed_keys)
    return data


def verdict_from_dict(stored: Mapping[str, Any]) -> Verdict:
    """`verdict_to_dict`'s output read back (the written "key" and "failed_conditions"
    follow from the conditions)."""
    agreement = stored["agreement"]
    return Verdict(
        category_key=stored["category_key"],
        confirmable=stored["confirmable"],
        one_sided=stored["one_sided"],
        conditions=tuple(
            Condition(**{k: v for k, v in c.items() if k != "key"}) for c in stored["conditions"]
        ),
        agreement=Agreement(
            **{
                **agreement,
                "dimensions": tuple(DimensionAgreement(**d) for d in agreement["dimensions"]),
            }
        ),
        not_assessed=tuple(stored["not_assessed"]),
    )


def build_snapshot(
    *,
    scores: ReviewScores | None,
    verdicts: Sequence[Verdict],
    conflict: str,
    client_name: str,
    decided_by: str,
    decided_at: str,
    rationale: str,
    outcomes: Mapping[str, str],
    participants: Sequence[str],
    one_sided: bool,
    waiver: str | None,
    thresholds: Thresholds | None = None,
    catalogue_version: int | None = None,
) -> dict[str, Any]:
    """Everything a decision rested on, as plain JSON-able data (decided_at: ISO 8601 text)."""
    return {
        "schema": SNAPSHOT_SCHEMA,
        "client_name": client_name,
        "conflict": conflict,
        "catalogue_version": catalogue_version,
        "decided_by": decided_by,
        "decided_at": decided_at,
        "rationale": rationale,
        "one_sided": bool(one_sided),
        "waiver": waiver,
        "outcomes": dict(outcomes),
        "participants": list(participants),
        "thresholds": thresholds.to_dict() if thresholds is not None else None,
        "scores": scores_to_dict(scores) if scores is not None else None,
        "verdicts": [verdict_to_dict(verdict) for verdict in verdicts],
    }
