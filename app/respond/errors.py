"""Error pages on the client's pages, worded for someone outside the agency.

The agency's error pages offer a way back to the dashboard; the client has none, and the
client's frame (respond/_layout.html) shows no way into the agency's tool at all.
"""

from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _


def _words(status: int) -> tuple[str, str]:
    if status == 429:
        return _("Too many attempts"), _(
            "Too many requests came from your connection in a short time. Please wait a "
            "minute, then reload the page."
        )
    if status == 413:
        return _("Too much text"), _(
            "What you sent is larger than this page accepts. Please go back, shorten the "
            "longest comments and check your answers again."
        )
    if status == 400:
        return _("This page has expired"), _(
            "Your page was open for a long time or in another window. Please go back, "
            "reload the page and check your answers again."
        )
    return _("Something went wrong"), _("Please try again in a moment.")


def client_error_page(status: int):
    heading, explanation = _words(status)
    # The agency's name comes from the respond blueprint's context processor, as on every
    # client page: this runs inside a request to that blueprint.
    return render_template("respond/error.html", heading=heading, explanation=explanation), status
