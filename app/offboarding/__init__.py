"""The offboarding kit: ending a client relationship properly (issue 17)."""

from flask import Blueprint

bp = Blueprint("offboarding", __name__, url_prefix="/offboarding")

from app.offboarding import views  # noqa: E402,F401
