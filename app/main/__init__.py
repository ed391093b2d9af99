from flask import Blueprint

bp = Blueprint("main", __name__)

from app.main import profile, views  # noqa: E402,F401
