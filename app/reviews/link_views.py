"""The lead's side of the client's private link: issue, show once, e-mail again, revoke.

Issuing is a POST answered by a redirect, so reloading the page that shows the link
issues nothing. The token crosses that redirect in the (signed) session and is removed
from it by the one GET that shows it: Candor keeps only the token's hash.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from app.domain.errors import DomainError
from app.forms import ActionForm
from app.messages import error_text
from app.models import utcnow
from app.reviews import bp
from app.reviews.forms import ClientLinkEmailForm, ClientLinkIssueForm
from app.security import lead_required
from app.services import client_link_mail, client_links, reviews
from app.services.errors import ServiceError
from app.view_helpers import current_account, or_abort

_SHOWN_ONCE = "client_link_to_show"


def _remember_token(link_id: int, token: str) -> None:
    session[_SHOWN_ONCE] = {"link": link_id, "token": token}


def _take_token(link_id: int) -> str | None:
    held = session.pop(_SHOWN_ONCE, None)
    if held and held.get("link") == link_id:
        return held.get("token")
    return None


def base_url_mismatch() -> str | None:
    """The address the lead is using when it differs from BASE_URL, which every client
    link is built from: a link the lead cannot open is likely dead for the client too."""
    configured = urlsplit(current_app.config["BASE_URL"])
    here = f"{request.scheme}://{request.host}"
    if (configured.scheme, configured.netloc.lower()) != (request.scheme, request.host.lower()):
        return here
    return None


@bp.route("/<int:review_id>/links", methods=["POST"])
@lead_required
def issue_link(review_id: int):
    review = or_abort(lambda: reviews.review_led_by(review_id, current_account()))
    form = ClientLinkIssueForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        link, token = client_links.issue_link(
            review.id, current_account(), utcnow(), send_email=bool(form.email.data)
        )
    except (ServiceError, DomainError) as error:
        flash(error_text(error), "error")
        return redirect(url_for("reviews.detail", review_id=review_id), 303)
    _remember_token(link.id, token)
    return redirect(url_for("reviews.show_link", review_id=review.id, link_id=link.id), 303)


@bp.route("/<int:review_id>/links/<int:link_id>")
@lead_required
def show_link(review_id: int, link_id: int):
    review = or_abort(lambda: reviews.review_led_by(review_id, current_account()))
    link = next((row for row in client_links.links_of(review) if row.id == link_id), None)
    if link is None:
        abort(404)
    token = _take_token(link.id)
    state = client_links.link_state(link, utcnow())
    return render_template(
        "reviews/link_issued.html",
        review=review,
        link=link,
        state=state,
        url=client_links.respond_url(token) if token else None,
        base_url=current_app.config["BASE_URL"],
        mismatch=base_url_mismatch(),
        mail_to=client_link_mail.mail_route(review.client) if state == "active" else "",
        email_form=ClientLinkEmailForm(token=token),
    )


@bp.route("/<int:review_id>/links/<int:link_id>/email", methods=["POST"])
@lead_required
def email_link(review_id: int, link_id: int):
    or_abort(lambda: reviews.review_led_by(review_id, current_account()))
    form = ClientLinkEmailForm()
    if not form.validate_on_submit():
        abort(400)
    token = form.token.data
    try:
        or_abort(
            lambda: client_links.email_link_again(
                review_id, link_id, token, current_account(), utcnow()
            )
        )
    except (ServiceError, DomainError) as error:
        flash(error_text(error), "error")
        return redirect(url_for("reviews.detail", review_id=review_id), 303)
    # The token came from the page that showed it; show it again with the new outcome.
    _remember_token(link_id, token)
    return redirect(url_for("reviews.show_link", review_id=review_id, link_id=link_id), 303)


@bp.route("/<int:review_id>/links/<int:link_id>/revoke", methods=["POST"])
@lead_required
def revoke_link(review_id: int, link_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    or_abort(lambda: client_links.revoke_link(review_id, link_id, current_account(), utcnow()))
    flash(_("Link revoked. The client can no longer use it."), "success")
    return redirect(url_for("reviews.detail", review_id=review_id))
