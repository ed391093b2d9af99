from flask import Response, request
from flask_login import login_required

from app.charts import MEDIA_TYPES
from app.graphs import bp
from app.services.charts import chart_for
from app.services.reviews import review_for
from app.view_helpers import current_account, or_abort


# `any(...)` makes an unknown kind or format a 404 before any lookup happens.
@bp.route("/reviews/<int:review_id>/<any(divergence, confidence, votes):kind>.<any(svg, png):fmt>")
@login_required
def chart(review_id: int, kind: str, fmt: str):
    review = or_abort(lambda: review_for(review_id, current_account()))
    body = or_abort(lambda: chart_for(review, kind, fmt))
    response = Response(body, mimetype=MEDIA_TYPES[fmt])
    if fmt == "png" and request.args.get("download") == "1":
        filename = f"candor-review-{review.id}-{kind}.png"
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
