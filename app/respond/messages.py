"""The client's view's refusals, worded at the edge in the reader's language.

Services raise errors named for what went wrong; their English text is for logs. The
client's page and the lead's "record the client's view" page show these words instead;
domain errors are worded by their code in app/messages.py.
"""

from __future__ import annotations

from flask_babel import gettext as _

from app.domain.errors import DomainError
from app.messages import error_text
from app.services.errors import (
    ClientViewAlreadyRecorded,
    InvalidInput,
    NoClientAnswers,
    RecorderAnsweredReview,
)


def client_view_error_text(error: Exception) -> str:
    if isinstance(error, NoClientAnswers):
        return _("Please answer at least one question.")
    if isinstance(error, RecorderAnsweredReview):
        return _(
            "You submitted a team answer on this review, so you cannot also record the "
            "client's view: it must come from someone who did not rate the team. An admin "
            "who did not answer can record it."
        )
    if isinstance(error, ClientViewAlreadyRecorded):
        return _("The client's view for this review has already been recorded.")
    if isinstance(error, InvalidInput) and error.field == "source_quote":
        return _("Quote the client's own words and say where they come from.")
    if isinstance(error, InvalidInput):
        return _("These answers could not be saved; please check them and try again.")
    if isinstance(error, DomainError):
        return error_text(error)
    return str(error)
