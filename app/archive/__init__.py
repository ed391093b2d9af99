from flask import Blueprint

bp = Blueprint("archive", __name__, url_prefix="/archive")

from app.archive import views  # noqa: E402,F401
