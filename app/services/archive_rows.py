"""An archived decision as the archive's lists show it: one row per decision, with the
names of its confirmed and not confirmed categories, read a page or a batch at a time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, select

from app.extensions import db
from app.i18n import current_language
from app.models import CatalogueVersion, CategoryDecision, Client, Decision, User


@dataclass(frozen=True)
class ArchiveRow:
    id: int
    sequence: int
    decided_at: datetime
    review_id: int
    client_id: int
    client_name: str
    decided_by: str
    final_status: str
    one_sided: bool
    any_confirmed: bool
    confirmed: tuple[str, ...] = ()  # category names
    not_confirmed: tuple[str, ...] = ()


def category_names() -> dict[str, str]:
    """Category key -> name over every catalogue version (the newest name wins), in the
    reader's language where the version has it."""
    language = current_language()
    names: dict[str, str] = {}
    documents = db.session.scalars(
        select(CatalogueVersion.document).order_by(CatalogueVersion.version)
    )
    for document in documents:
        translated = ((document or {}).get("translations") or {}).get(language) or {}
        own = translated.get("categories") or {}
        for category in (document or {}).get("categories", []):
            key = category["key"]
            names[key] = (own.get(key) or {}).get("name") or category.get("name", key)
    return names


ROW_COLUMNS = (
    Decision.id,
    Decision.sequence,
    Decision.decided_at,
    Decision.review_id,
    Decision.client_id,
    Client.name.label("client_name"),
    User.name.label("decided_by"),
    Decision.final_status,
    Decision.one_sided,
    Decision.any_confirmed,
)


def row_select(*extra) -> Select:
    return (
        select(*ROW_COLUMNS, *extra)
        .join(Client, Client.id == Decision.client_id)
        .join(User, User.id == Decision.decided_by_id)
    )


def outcomes_of(decision_ids: list[int]) -> dict[int, list[tuple[str, str]]]:
    """decision id -> [(category key, outcome)] for one page or batch of decisions."""
    found: dict[int, list[tuple[str, str]]] = {i: [] for i in decision_ids}
    if not decision_ids:
        return found
    rows = db.session.execute(
        select(
            CategoryDecision.decision_id, CategoryDecision.category_key, CategoryDecision.outcome
        )
        .where(CategoryDecision.decision_id.in_(decision_ids))
        .order_by(CategoryDecision.decision_id, CategoryDecision.category_key)
    )
    for decision_id, key, outcome in rows:
        found[decision_id].append((key, outcome))
    return found


def to_rows(results, names: dict[str, str]) -> list[ArchiveRow]:
    results = list(results)
    outcomes = outcomes_of([r.id for r in results])
    rows = []
    for r in results:
        pairs = outcomes[r.id]
        rows.append(
            ArchiveRow(
                id=r.id,
                sequence=r.sequence,
                decided_at=r.decided_at,
                review_id=r.review_id,
                client_id=r.client_id,
                client_name=r.client_name,
                decided_by=r.decided_by,
                final_status=r.final_status,
                one_sided=r.one_sided,
                any_confirmed=r.any_confirmed,
                confirmed=tuple(names.get(k, k) for k, o in pairs if o == "confirmed"),
                not_confirmed=tuple(names.get(k, k) for k, o in pairs if o != "confirmed"),
            )
        )
    return rows
