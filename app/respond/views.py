"""The client's pages: no account, only the private link.

Every unknown, expired, used or revoked token gets the same polite page and status,
the route is rate-limited, and the token never leaves in a Referer header.
"""

from flask import current_app, redirect, render_template, request, url_for

from app.domain.errors import DomainError
from app.extensions import limiter
from app.models import utcnow
from app.respond import bp
from app.respond.forms import client_ratings, client_view_form
from app.services import client_links
from app.services.catalogue import catalogue_of
from app.services.errors import InvalidClientLink, InvalidInput, ServiceError


def _token_limit() -> str:
    return current_app.config["TOKEN_RATE_LIMIT"]


@bp.after_request
def no_referrer(response):
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    return response


def _invalid_link():
    return render_template("respond/invalid.html"), 404


@bp.route("/<token>", methods=["GET", "POST"])
@limiter.limit(_token_limit)
def answer(token: str):
    now = utcnow()
    try:
        # Opening the page never spends the link (mail scanners open links too).
        link = client_links.find_usable_link(token, now)
    except InvalidClientLink:
        return _invalid_link()
    review = link.review
    catalogue = catalogue_of(review.catalogue_version)
    form = client_view_form(catalogue)
    error_message = None
    if form.validate_on_submit():
        ratings, comments = client_ratings(form, catalogue)
        try:
            client_links.submit_client_view(token, ratings, comments, form.comment.data or "", now)
        except InvalidClientLink:
            return _invalid_link()
        except (InvalidInput, ServiceError, DomainError) as error:
            error_message = str(error)
        else:
            return redirect(url_for("respond.thanks"))
    status = 200 if request.method == "GET" else 400
    return render_template(
        "respond/answer.html",
        form=form,
        catalogue=catalogue,
        agency_client=review.client,
        expires_at=link.expires_at,
        error_message=error_message,
    ), status


@bp.route("/thanks")
def thanks():
    return render_template("respond/thanks.html")
