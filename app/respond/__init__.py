from flask import Blueprint

bp = Blueprint("respond", __name__, url_prefix="/respond")

from app.respond import views  # noqa: E402,F401
