"""Handling advice for a client after a decision: the confirmed categories of its latest
decision, read from that decision's sealed catalogue, and the next steps they suggest."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.domain.catalogue import Catalogue
from app.domain.handling import NextStep, next_steps
from app.extensions import db
from app.models import Decision
from app.services.catalogue import catalogue_of, latest_version
from app.services.errors import NotFound


@dataclass(frozen=True)
class ClientHandling:
    decision_id: int
    catalogue: Catalogue
    confirmed: tuple[str, ...]
    steps: tuple[NextStep, ...]


def _catalogue(decision: Decision) -> Catalogue | None:
    try:
        stored = decision.record.get("catalogue")
    except ValueError:
        stored = None
    if stored:
        return Catalogue.from_dict(stored)
    try:  # a decision from before sealed records: today's catalogue names the categories
        return catalogue_of(latest_version())
    except NotFound:
        return None


def client_handling(client_id: int) -> ClientHandling | None:
    """None until the client has a decision that confirmed a category."""
    decision = db.session.scalar(
        select(Decision)
        .where(Decision.client_id == client_id)
        .order_by(Decision.decided_at.desc(), Decision.id.desc())
        .limit(1)
    )
    if decision is None:
        return None
    confirmed = tuple(c.category_key for c in decision.categories if c.outcome == "confirmed")
    catalogue = _catalogue(decision)
    if not confirmed or catalogue is None:
        return None
    known = tuple(k for k in confirmed if k in catalogue.category_keys)
    return ClientHandling(decision.id, catalogue, known, next_steps(known))
