"""An archived decision's own part of its pages (archive/_decision.html), drawn once and
kept in the shared store.

Everything in that part comes from the decision's sealed record (its exact text), its
chain columns (sequence, seal, the seal before it), the client's name today (the page says
when it is "now called" otherwise) and the reader's language: those are the key, so
nothing is ever invalidated, on one server or many, and a record whose text was changed
behind the app's back is drawn afresh. The verification shown above it and the list of
the client's other decisions change over time and are drawn for every request. Decisions
from before sealed records (a stored snapshot, no text) are drawn every time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from flask import render_template
from markupsafe import Markup

from app.archive.present import present_snapshot
from app.i18n import current_language
from app.models import Decision
from app.services.records import record_text_hash
from app.services.shared_store import shared_store


@dataclass(frozen=True)
class DecisionBlock:
    client_name: str  # as the record names the client (the page's heading)
    html: Markup


def decision_block(decision: Decision) -> DecisionBlock:
    key = _key(decision) if decision.record_text is not None else None
    kept = shared_store().get(key) if key is not None else None
    if kept is not None:
        client_name, html = json.loads(kept)
    else:
        snap = present_snapshot(_record_or_empty(decision), current_language())
        client_name = snap["client_name"]
        html = render_template("archive/_decision.html", decision=decision, snap=snap)
        if key is not None:
            shared_store().put(key, json.dumps([client_name, html]).encode())
    # Drawn by archive/_decision.html with autoescaping on: already safe HTML.
    safe = Markup(html)  # noqa: S704  # nosec B704
    return DecisionBlock(client_name, safe)


def _key(decision: Decision) -> tuple:
    text = record_text_hash(decision.record_text)
    client = decision.client.name if decision.client is not None else ""
    chain = (decision.sequence, decision.digest, decision.previous_digest or "")
    return (
        "archive-decision",
        decision.id,
        decision.review_id,
        text,
        *chain,
        client,
        current_language(),
    )


def _record_or_empty(decision: Decision) -> dict:
    # An unreadable record (changed behind the app's back) shows empty sections and the
    # failed verification, not an error page.
    try:
        return decision.record
    except ValueError:
        return {}
