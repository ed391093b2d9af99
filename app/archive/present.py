"""A frozen snapshot made easy to render: names from the snapshot's own catalogue excerpt.

Only the snapshot is read, never today's catalogue or users, so a later edit of a
category, a dimension or a person's name changes nothing on an archived page. Missing
keys (an older schema, or a damaged record) give empty sections, not an error page.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from app.domain.validation import TEAM  # a flag's `who` for the whole team (older records)


def _dict(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _list(value: Any) -> list:
    return list(value) if isinstance(value, list | tuple) else []


def _time(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def _flatten_record(record: Mapping[str, Any], language: str) -> dict[str, Any]:
    """A schema-2 record in the flat shape schema 1 used, plus what schema 2 adds; the
    category and question names in `language` where the record's catalogue has them."""
    catalogue = _dict(record.get("catalogue"))
    translated = _dict(_dict(catalogue.get("translations")).get(language))
    scores = _dict(record.get("scores"))
    client_view = _dict(record.get("client_view"))
    return {
        "client_name": _dict(record.get("client")).get("name", ""),
        "conflict": _dict(record.get("review")).get("conflict", ""),
        "decided_by": _dict(record.get("decided_by")).get("name", ""),
        "decided_at": record.get("decided_at"),
        "rationale": record.get("rationale", ""),
        "one_sided": record.get("one_sided"),
        "waiver": record.get("waiver"),
        "final_status": record.get("final_status", ""),
        "catalogue_version": catalogue.get("version"),
        "respondents": scores.get("respondents", _dict(record.get("withheld")).get("respondents")),
        "participants": record.get("named"),
        "client_source": client_view.get("source"),
        "client_recorded_by": client_view.get("recorded_by"),
        "client_quote": client_view.get("quote"),
        "scores": record.get("scores"),
        "verdicts": record.get("verdicts"),
        "outcomes": record.get("outcomes"),
        "thresholds": record.get("thresholds"),
        "withheld": record.get("withheld"),
        "catalogue": {
            "dimensions": {
                _dict(d).get("key"): {"title": _text_in(translated, "dimensions", d, "title")}
                for d in _list(catalogue.get("dimensions"))
            },
            "categories": {
                _dict(c).get("key"): {"name": _text_in(translated, "categories", c, "name")}
                for c in _list(catalogue.get("categories"))
            },
        },
        "evidence": record.get("evidence"),
        "comments": record.get("comments"),
        "client_words": record.get("client_words"),
    }


def _text_in(translated: Mapping[str, Any], kind: str, item: Any, name: str) -> Any:
    own = _dict(_dict(translated.get(kind)).get(_dict(item).get("key")))
    return own.get(name) or _dict(item).get(name)


def _client_words(stored: Any) -> dict[str, Any] | None:
    words = _dict(stored)
    if not words:
        return None
    answers = [
        {"dimension_key": key, "comment": comment}
        for key, comment in _dict(words.get("answers")).items()
    ]
    return {**words, "answers": answers}


def _by_question(flags: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Members' flags grouped by question, in the order the record lists the questions."""
    groups: dict[Any, dict[str, Any]] = {}
    for flag in flags:
        key = flag.get("dimension_key")
        group = groups.get(key)
        if group is None:
            group = groups[key] = {
                "dimension_key": key,
                "title": flag.get("title"),
                "client_rating": flag.get("client_rating"),
                "members": [],
            }
        group["members"].append(flag)
    return list(groups.values())


def _minimum(thresholds: Mapping[str, Any]) -> int | None:
    try:
        return int(thresholds.get("min_respondents"))
    except (TypeError, ValueError):
        return None


def present_snapshot(snapshot: Any, language: str = "en") -> dict[str, Any]:
    snap = _dict(snapshot)
    sealed = snap.get("schema") == 2
    if sealed:
        snap = _flatten_record(snap, language)
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
    team_flags = [f for f in flags if f.get("who") == TEAM]
    member_flags = [f for f in flags if f.get("who") != TEAM]
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
        "complexity": scores.get("complexity"),
        "sure_weight": scores.get("sure_weight"),
        "gap_threshold": scores.get("gap_threshold"),
        "confidence_threshold": scores.get("confidence_threshold"),
        "names": {"dimensions": dimension_names, "categories": category_names},
        "sealed": sealed,
        "min_respondents": _minimum(_dict(snap.get("thresholds"))),
        "client_recorded_by": snap.get("client_recorded_by"),
        "client_quote": snap.get("client_quote"),
        "evidence": {
            key: [
                (_list(item)[0], _list(item)[1]) for item in _list(items) if len(_list(item)) == 2
            ]
            for key, items in _dict(snap.get("evidence")).items()
        },
        "comments": {
            key: [str(t) for t in _list(v)] for key, v in _dict(snap.get("comments")).items()
        },
        "client_words": _client_words(snap.get("client_words")),
        "withheld": _dict(snap.get("withheld")) or None,
        "outcomes": outcomes,
        "dimensions": dimensions,
        "flags": flags,
        # Flags of the whole team (records before schema 2) one by one; members' flags
        # one line per question: a 100-member review has thousands of them.
        "team_flags": team_flags,
        "flag_groups": _by_question(member_flags),
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
