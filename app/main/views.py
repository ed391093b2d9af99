from flask import render_template
from flask_login import login_required

from app.main import bp


@bp.route("/")
@login_required
def dashboard():
    return render_template("main/dashboard.html")


@bp.route("/about")
def about():
    return render_template("main/about.html")
