"""A frozen snapshot made easy to render: names from the snapshot's own catalogue excerpt.

Only the snapshot is read, never today's catalogue or users, so a later edit of a
category, a dimension or a person's name changes nothing on an archived page. Missing
keys (an older schema, or a damaged record) give empty sections, not an error page.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any


def _dict(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _list(value: Any) -> list:
    return list(value) if isinstance(value, list | tuple) else []


def _time(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def present_snapshot(snapshot: Any) -> dict[str, Any]:
    snap = _dict(snapshot)
    catalogue = _dict(snap.get("catalogue"))
    dimension_names = {
        key: _dict(entry).get("title", key)
        for key, entry in _dict(catalogue.get("dimensions")).items()
    }
    category_names = {
        key: _dict(entry).get("name", key)
        for key, entry in _dict(catalogue.get("categories")).items()
    }
    scores = _dict(snap.get("scores"))
    votes = _dict(scores.get("votes"))
    verdicts = [_dict(v) for v in _list(snap.get("verdicts"))]
    for verdict in verdicts:
        key = verdict.get("category_key", "")
        category_names.setdefault(key, verdict.get("category_name", key))
    outcomes = [
        {
            "key": key,
            "name": category_names.get(key, key),
            "outcome": outcome,
            "votes": votes.get(key, 0),
        }
        for key, outcome in sorted(_dict(snap.get("outcomes")).items())
    ]
    dimensions = [
        {**_dict(d), "title": dimension_names.get(_dict(d).get("dimension_key"), "")}
        for d in _list(scores.get("dimensions"))
    ]
    flags = [
        {**_dict(f), "title": dimension_names.get(_dict(f).get("dimension_key"), "")}
        for f in _list(scores.get("flags"))
    ]
    return {
        "client_name": snap.get("client_name", ""),
        "conflict": snap.get("conflict", ""),
        "decided_by": snap.get("decided_by", ""),
        "decided_at": _time(snap.get("decided_at")),
        "rationale": snap.get("rationale", ""),
        "one_sided": bool(snap.get("one_sided")),
        "waiver": snap.get("waiver") or "",
        "final_status": snap.get("final_status", ""),
        "catalogue_version": snap.get("catalogue_version"),
        "respondents": snap.get("respondents", scores.get("respondents")),
        "participants": [str(p) for p in _list(snap.get("participants"))],
        "client_source": snap.get("client_source"),
        "complexity_median": scores.get("complexity_median"),
        "gap_threshold": scores.get("gap_threshold"),
        "confidence_threshold": scores.get("confidence_threshold"),
        "names": {"dimensions": dimension_names, "categories": category_names},
        "min_respondents": _dict(snap.get("thresholds")).get("min_respondents"),
        "withheld": _dict(snap.get("withheld")) or None,
        "outcomes": outcomes,
        "dimensions": dimensions,
        "flags": flags,
        "verdicts": [
            {
                **verdict,
                "conditions": [_dict(c) for c in _list(verdict.get("conditions"))],
                "paradox": any(
                    _dict(c).get("key") == "overconfidence" and not _dict(c).get("passed")
                    for c in _list(verdict.get("conditions"))
                ),
            }
            for verdict in verdicts
        ],
    }
