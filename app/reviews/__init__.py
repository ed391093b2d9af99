from flask import Blueprint

bp = Blueprint("reviews", __name__, url_prefix="/reviews")

from app.reviews import answer_views, change_views, decide_views, link_views, views  # noqa: E402,F401
