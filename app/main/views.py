from flask import current_app, render_template, send_from_directory
from flask_login import login_required

from app.main import bp
from app.models import utcnow
from app.services import worklist
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
