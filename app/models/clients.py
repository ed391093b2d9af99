from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from app.domain.names import NAME_KEY_MAX, name_key
from app.extensions import db
from app.models.types import LANGUAGES_SQL, UTCDateTime, utcnow

CLIENT_STATUSES = ("active", "under_review", "blacklisted", "cleared")
_STATUS_SQL = "('active', 'under_review', 'blacklisted', 'cleared')"


class Client(db.Model):
    __tablename__ = "clients"
    __table_args__ = (
        CheckConstraint(f"status IN {_STATUS_SQL}", name="status_known"),
        CheckConstraint(f"language IN {LANGUAGES_SQL}", name="language_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    # One client per name, however it is typed (see app/domain/names.py): kept in step with
    # `name` below and unique in the database, so no path around the service can add a twin.
    name_key: Mapped[str] = mapped_column(
        String(NAME_KEY_MAX), unique=True, index=True, server_default=""
    )
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="active")
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The language of the client's answer page and of the e-mails it receives.
    language: Mapped[str] = mapped_column(String(5), default="en", server_default="en")

    status_changes: Mapped[list[ClientStatusChange]] = relationship(
        back_populates="client", order_by="ClientStatusChange.id"
    )

    @validates("name")
    def _keep_name_key(self, _field: str, name: str) -> str:
        self.name_key = name_key(name)
        return name


class ClientStatusChange(db.Model):
    __tablename__ = "client_status_changes"
    __table_args__ = (CheckConstraint(f"to_status IN {_STATUS_SQL}", name="to_status_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    reason: Mapped[str] = mapped_column(Text, default="")

    client: Mapped[Client] = relationship(back_populates="status_changes")
    changed_by = relationship("User")
