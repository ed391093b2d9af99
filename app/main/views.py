from flask import render_template
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
