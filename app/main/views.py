from flask import current_app, jsonify, render_template, send_from_directory
from flask_login import login_required

from app.main import bp
from app.models import utcnow
from app.services import health, worklist
from app.view_helpers import current_account


@bp.route("/")
@login_required
def dashboard():
    return render_template(
        "main/dashboard.html", board=worklist.dashboard_for(current_account(), utcnow())
    )


@bp.route("/about")
def about():
    return render_template("main/about.html")


@bp.route("/favicon.ico")
def favicon():
    # Browsers ask for /favicon.ico whatever the page says; answer instead of a 404 line.
    return send_from_directory(
        current_app.static_folder, "favicon.ico", mimetype="image/vnd.microsoft.icon", max_age=86400
    )


@bp.route("/healthz")
def healthz():
    """For load balancers: 200 when the database (and Redis, when configured) answer,
    503 otherwise. Needs no login and reads no user (app/security.py skips the loader)."""
    checks = health.check()
    healthy = all(state == health.OK for state in checks.values())
    body = {"status": health.OK if healthy else health.UNAVAILABLE, "checks": checks}
    return jsonify(body), 200 if healthy else 503
