"""Catalogue versions: the categories and questionnaire a review is judged by."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from app.domain.catalogue import Catalogue
from app.domain.catalogue_default import default_catalogue_document
from app.domain.snapshot import canonical_json
from app.extensions import db
from app.i18n import current_language
from app.models import CatalogueVersion, User
from app.services import audit
from app.services._tx import transaction
from app.services.errors import CatalogueUnchanged, NotFound


def latest_version() -> CatalogueVersion:
    row = db.session.scalar(select(CatalogueVersion).order_by(CatalogueVersion.version.desc()))
    if row is None:
        raise NotFound("No catalogue is loaded yet; run `flask --app wsgi load-catalogue`.")
    return row


# Stored versions never change, so a parsed catalogue can be kept per stored row.
_parsed: dict[tuple, Catalogue] = {}


def catalogue_of(row: CatalogueVersion) -> Catalogue:
    """The parsed catalogue of a stored version, in the reader's language."""
    return catalogue_of_version(row.id, row.version, row.created_at, row)


def catalogue_of_version(
    version_id: int, version: int, created_at, row: CatalogueVersion | None = None
) -> Catalogue:
    """As `catalogue_of`, from the version's id, number and time of creation: the document
    (the large column) is read only the first time this process meets the version. The
    time guards against an id reused after a database was emptied."""
    key = (version, created_at)
    if key not in _parsed:
        row = row or db.session.get(CatalogueVersion, version_id)
        _parsed[key] = Catalogue.from_dict({**row.document, "version": row.version})
    return for_reader(_parsed[key])


def for_reader(catalogue: Catalogue) -> Catalogue:
    """The catalogue's texts in the language of the page being rendered. Keys, links and
    the document (`to_dict`, what records seal) are the same in every language."""
    return catalogue.localized(current_language())


def publish_catalogue(document: dict, actor: User | None) -> CatalogueVersion:
    """Validate and store a new version; older reviews keep the version they were opened with."""
    with transaction():
        latest = db.session.scalar(
            select(CatalogueVersion).order_by(CatalogueVersion.version.desc()).limit(1)
        )
        next_version = (latest.version if latest else 0) + 1
        if not isinstance(document, dict):
            Catalogue.from_dict(document)  # raises CatalogueInvalid naming the problem
        parsed = Catalogue.from_dict({**document, "version": next_version})
        if latest is not None and _content(latest.document) == _content(parsed.to_dict()):
            # A new version that asks and judges exactly as the last one would only make
            # reviews look different when they are not.
            raise CatalogueUnchanged(version=latest.version)
        row = CatalogueVersion(
            version=next_version,
            document=parsed.to_dict(),
            created_by_id=actor.id if actor else None,
        )
        db.session.add(row)
        db.session.flush()
        audit.record(
            "catalogue.published", "catalogue_version", row.id, actor, version=next_version
        )
    return row


def _content(document: dict) -> dict:
    return {key: value for key, value in document.items() if key != "version"}


def load_default_catalogue() -> CatalogueVersion | None:
    """Load the built-in catalogue once; returns None when a version already exists."""
    if db.session.scalar(select(func.count()).select_from(CatalogueVersion)):
        return None
    return publish_catalogue(default_catalogue_document(), None)


def same_catalogue(first: dict, second: dict) -> bool:
    """Whether two documents describe the same catalogue, whatever their key order or
    version number. Both go through the domain's parser and `to_dict`, so whatever the
    catalogue holds (texts, sources, per-language texts) is compared, field by field
    nowhere here."""

    def canonical(document: dict) -> str:
        parsed = Catalogue.from_dict({**document, "version": 1}).to_dict()
        parsed.pop("version", None)
        return canonical_json(parsed)

    return canonical(first) == canonical(second)


@dataclass(frozen=True)
class CatalogueUpgrade:
    """What `upgrade_default_catalogue` did: `loaded` (the first version), `published`
    (the built-in catalogue changed: a new version), `unchanged`, or `edited_since` (an
    administrator published the newest version; the built-in one was not published over
    it)."""

    outcome: str
    version: int


def upgrade_default_catalogue(force: bool = False) -> CatalogueUpgrade:
    """Bring a site up to the built-in catalogue shipped with this release.

    A newer built-in catalogue becomes a new version; reviews keep the version they were
    opened with, so nothing old changes. When an administrator published the newest
    version, the built-in one would silently replace their edits for new reviews: that
    takes `force`."""
    builtin = default_catalogue_document()
    versions = all_versions()
    if not versions:
        return CatalogueUpgrade("loaded", publish_catalogue(builtin, None).version)
    latest = versions[0]
    if same_catalogue(latest.document, builtin):
        return CatalogueUpgrade("unchanged", latest.version)
    if latest.created_by_id is not None and not force:
        return CatalogueUpgrade("edited_since", latest.version)
    return CatalogueUpgrade("published", publish_catalogue(builtin, None).version)


def all_versions() -> list[CatalogueVersion]:
    return list(
        db.session.scalars(select(CatalogueVersion).order_by(CatalogueVersion.version.desc()))
    )
