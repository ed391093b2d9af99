from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.types import UTCDateTime, utcnow


class CatalogueVersion(db.Model):
    """One published catalogue (categories + questionnaire). Never edited: a change is
    a new version, and each review points at the version it was opened with."""

    __tablename__ = "catalogue_versions"
    __table_args__ = (CheckConstraint("version >= 1", name="version_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(unique=True)
    # Deferred: a page that only needs to know which version a review uses (every answer
    # form) reads the version and its time, and the parsed catalogue comes from the
    # process's cache; the document is read only the first time a process meets it.
    document: Mapped[dict] = mapped_column(JSON, deferred=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
