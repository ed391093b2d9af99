from flask import Response, abort, request
from flask_login import current_user, login_required

from app.charts import MEDIA_TYPES
from app.graphs import bp
from app.services.charts import chart_for
from app.services.errors import Forbidden, NotFound
from app.services.reviews import review_for


# `any(...)` makes an unknown kind or format a 404 before any lookup happens.
@bp.route("/reviews/<int:review_id>/<any(divergence, confidence, votes):kind>.<any(svg, png):fmt>")
@login_required
def chart(review_id: int, kind: str, fmt: str):
    try:
        review = review_for(review_id, current_user._get_current_object())
        body = chart_for(review, kind, fmt)
    except NotFound:
        abort(404)
    except Forbidden:
        abort(403)
    response = Response(body, mimetype=MEDIA_TYPES[fmt])
    if fmt == "png" and request.args.get("download") == "1":
        filename = f"candor-review-{review.id}-{kind}.png"
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
