from flask import current_app, render_template, send_from_directory
from flask_login import login_required

from app.domain.lifecycle import ReviewState
from app.main import bp
from app.services import reviews
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


@bp.route("/favicon.ico")
def favicon():
    # Browsers ask for /favicon.ico whatever the page says; answer instead of a 404 line.
    return send_from_directory(
        current_app.static_folder, "favicon.ico", mimetype="image/vnd.microsoft.icon", max_age=86400
    )
