"""SQLAlchemy models, one module per aggregate; import them all from here."""

from app.models.audit import AuditEvent
from app.models.catalogue import CatalogueVersion
from app.models.client_views import ClientAnswerRow, ClientLink, ClientResponseRow
from app.models.clients import CLIENT_STATUSES, Client, ClientStatusChange
from app.models.decisions import CategoryDecision, Decision
from app.models.incidents import IncidentEntry, ReviewIncident
from app.models.offboarding import ClosingRecord, ManagedAccount, OffboardingKit
from app.models.reviews import (
    CategoryChoiceRow,
    Review,
    ReviewParticipant,
    TeamAnswerRow,
    TeamResponseRow,
)
from app.models.sessions import LoginSession
from app.models.stored_results import StoredResultsRow
from app.models.types import UTCDateTime, utcnow
from app.models.users import ROLES, User

__all__ = [
    "AuditEvent",
    "CLIENT_STATUSES",
    "CatalogueVersion",
    "CategoryChoiceRow",
    "CategoryDecision",
    "Client",
    "ClientAnswerRow",
    "ClientLink",
    "ClientResponseRow",
    "ClientStatusChange",
    "ClosingRecord",
    "Decision",
    "IncidentEntry",
    "ManagedAccount",
    "OffboardingKit",
    "LoginSession",
    "ROLES",
    "Review",
    "ReviewIncident",
    "ReviewParticipant",
    "StoredResultsRow",
    "TeamAnswerRow",
    "TeamResponseRow",
    "User",
    "UTCDateTime",
    "utcnow",
]
