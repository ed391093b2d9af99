"""The client incident log, handling advice and message drafts (issue 17)."""

from flask import Blueprint

bp = Blueprint("incidents", __name__, url_prefix="/incidents")

from app.incidents import draft_views, template_globals, views  # noqa: E402,F401
