"""The client's view's refusals, worded at the edge in the reader's language.

Services raise errors named for what went wrong; their English text is for logs. The
client's page and the lead's "record the client's view" page show these words instead;
domain errors are worded by their code in app/messages.py.
"""

from __future__ import annotations

from flask_babel import gettext as _

from app.messages import error_text
from app.services.errors import InvalidInput, NoClientAnswers


def client_view_error_text(error: Exception) -> str:
    if isinstance(error, NoClientAnswers):
        return error_text(error)
    if isinstance(error, InvalidInput) and error.field == "source_quote":
        return _("Quote the client's own words and say where they come from.")
    if isinstance(error, InvalidInput):
        return _("These answers could not be saved; please check them and try again.")
    return error_text(error)
