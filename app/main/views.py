from flask import jsonify, render_template
from flask_login import login_required

from app.domain.lifecycle import ReviewState
from app.extensions import limiter
from app.main import bp
from app.services import health, reviews
from app.view_helpers import current_account


@bp.route("/")
@login_required
def dashboard():
    me = current_account()
    visible = reviews.reviews_visible_to(me)
    return render_template(
        "main/dashboard.html",
        waiting=reviews.reviews_waiting_for(me),
        leading=[r for r in visible if r.lead_id == me.id and r.state != ReviewState.DECIDED],
        recent=visible[:10],
    )


@bp.route("/about")
def about():
    return render_template("main/about.html")


@bp.route("/healthz")
@limiter.exempt
def healthz():
    """For load balancers: 200 when the database (and Redis, when configured) answer,
    503 otherwise. Needs no login and reads no user (app/security.py skips the loader)."""
    checks = health.check()
    healthy = all(state == health.OK for state in checks.values())
    body = {"status": health.OK if healthy else health.UNAVAILABLE, "checks": checks}
    return jsonify(body), 200 if healthy else 503
