from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from app.admin import catalogue_views, views  # noqa: E402,F401
