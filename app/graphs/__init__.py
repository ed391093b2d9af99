"""Charts of a review as images: SVG for the page, PNG for download and the archive."""

from flask import Blueprint

bp = Blueprint("graphs", __name__, url_prefix="/graphs")

from app.graphs import views  # noqa: E402,F401
