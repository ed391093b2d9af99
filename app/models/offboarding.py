"""The offboarding kit: a lead's checklist for ending a client relationship, and the
sealed closing record it leaves in the archive chain when completed.

The kit and its accounts change while the lead works through them (each change audited);
once completed the service refuses any further change, and what counts is the closing
record: append-only in the database, sealed into the same chain as decisions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.offboarding import ACCOUNT_STATES, FINAL_STATUSES
from app.extensions import db
from app.models.types import UTCDateTime, utcnow


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN (" + ", ".join(f"'{v}'" for v in values) + ")"


class OffboardingKit(db.Model):
    __tablename__ = "offboarding_kits"
    __table_args__ = (
        CheckConstraint(
            f"final_status IS NULL OR {_in('final_status', FINAL_STATUSES)}",
            name="final_status_known",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # One kit per client: ending a relationship happens once (a returning client is a new one).
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), unique=True)
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id"))
    opened_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    payments_current: Mapped[bool | None] = mapped_column(Boolean)
    payments_override: Mapped[str] = mapped_column(Text, default="")
    payments_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    payments_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    work_done: Mapped[str] = mapped_column(Text, default="")
    report_text: Mapped[str] = mapped_column(Text, default="")
    report_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    report_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reason_statement: Mapped[str] = mapped_column(Text, default="")
    reason_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    final_status: Mapped[str | None] = mapped_column(String(30))
    status_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    status_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    client = relationship("Client")
    opened_by = relationship("User", foreign_keys=[opened_by_id])
    payments_by = relationship("User", foreign_keys=[payments_by_id])
    report_by = relationship("User", foreign_keys=[report_by_id])
    reason_by = relationship("User", foreign_keys=[reason_by_id])
    status_by = relationship("User", foreign_keys=[status_by_id])
    completed_by = relationship("User", foreign_keys=[completed_by_id])
    accounts: Mapped[list[ManagedAccount]] = relationship(
        back_populates="kit", order_by="ManagedAccount.id"
    )


class ManagedAccount(db.Model):
    """An account the agency managed for the client, to be handed over."""

    __tablename__ = "managed_accounts"
    __table_args__ = (CheckConstraint(_in("state", ACCOUNT_STATES), name="state_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kit_id: Mapped[int] = mapped_column(ForeignKey("offboarding_kits.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    platform: Mapped[str] = mapped_column(String(100))
    state: Mapped[str] = mapped_column(String(20), default="pending")
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    kit: Mapped[OffboardingKit] = relationship(back_populates="accounts")
    done_by = relationship("User")


class ClosingRecord(db.Model):
    """A completed kit's sealed record: in the archive chain beside the decisions, sharing
    their sequence numbers (app/services/records.py appends both)."""

    __tablename__ = "closing_records"
    __table_args__ = (CheckConstraint("sequence >= 1", name="sequence_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kit_id: Mapped[int] = mapped_column(ForeignKey("offboarding_kits.id"), unique=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    sealed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    sealed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    record_text: Mapped[str] = mapped_column(Text)
    sequence: Mapped[int] = mapped_column(Integer, unique=True)
    previous_digest: Mapped[str | None] = mapped_column(String(64))
    digest: Mapped[str] = mapped_column(String(64), unique=True)

    kit = relationship("OffboardingKit")
