from flask import Response, render_template, request
from flask_login import login_required

from app.charts import MEDIA_TYPES
from app.graphs import bp
from app.services.charts import chart_for, chart_tables
from app.services.review_data import results_for
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


@bp.route("/reviews/<int:review_id>/confidence-table")
@login_required
def confidence_table(review_id: int):
    """Every answer behind the confidence chart, one row each: its own page, since a big
    team's table (100 members x 50 questions is 5,000 rows) would swamp the comparison."""
    review = or_abort(lambda: review_for(review_id, current_account()))
    results = or_abort(lambda: results_for(review))  # 403 before close or below the minimum
    return render_template(
        "graphs/confidence_table.html", review=review, table=chart_tables(results).confidence
    )
