"""SQLAlchemy models, one module per aggregate; import them all from here."""

from app.models.audit import AuditEvent
from app.models.clients import CLIENT_STATUSES, Client, ClientStatusChange
from app.models.types import UTCDateTime, utcnow
from app.models.users import ROLES, User

__all__ = [
    "AuditEvent",
    "CLIENT_STATUSES",
    "Client",
    "ClientStatusChange",
    "ROLES",
    "User",
    "UTCDateTime",
    "utcnow",
]
