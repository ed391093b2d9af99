"""The client's pages: no account, only the private link.

Every unknown, expired, used or revoked token gets the same polite page and status,
the route is rate-limited, and the token never leaves in a Referer header. A post whose
CSRF check fails (the page outlived its session) sends nothing and shows the form again
with everything typed, as the members' answer form does.

Sending cannot be undone, so it takes two steps (PITFALLS 26): the first POST, whatever
button or Enter key sent it, only validates and shows the answers back with how many
statements were answered and which were skipped. Only "Send my answers" on that page,
carrying a fingerprint of exactly what was shown, spends the link. Neither opening the
page nor the check spends it.

After sending, this browser coming back to the link (Back, a second click) is told that its
answers were received (see receipt.py); everyone else gets the polite invalid page.
"""

from __future__ import annotations

import hashlib
import hmac
import json

from flask import current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.domain.errors import DomainError
from app.extensions import csrf
from app.models import utcnow
from app.rate_limits import limited
from app.respond import bp
from app.respond.forms import check_answers, client_ratings, client_view_form
from app.respond.language import (
    keep_for_the_pages_after,
    speak_as_picked,
    speak_to_client,
    switch_requested,
)
from app.respond.messages import client_view_error_text
from app.respond.receipt import remember_sent, sent_from_this_browser
from app.services import client_links
from app.services.catalogue import catalogue_of
from app.services.errors import InvalidClientLink, ServiceError
from app.view_helpers import csrf_passes


def _token_limit() -> str:
    return current_app.config["TOKEN_RATE_LIMIT"]


@bp.after_request
def referrer_stays_on_site(response):
    # The token is in the address: it must never leave in a Referer to another site, so
    # "same-origin" (not "no-referrer"). The browser's own POST back to this page still
    # carries a Referer, which Flask-WTF's strict referrer check requires over HTTPS:
    # with "no-referrer" every client answer sent over HTTPS was a 400.
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.context_processor
def agency_words():
    """The agency the client's pages speak for: the deployment's AGENCY_NAME, else a
    neutral name in the client's language."""
    return {"agency": current_app.config.get("AGENCY_NAME") or _("The agency")}


def _invalid_link(token: str):
    speak_as_picked()
    if sent_from_this_browser(token):
        return render_template("respond/received.html"), 200
    return render_template("respond/invalid.html"), 404


def answers_fingerprint(
    link_id: int, ratings: dict[str, int], comments: dict[str, str], comment: str
) -> str:
    """A keyed digest of the answers as the check step showed them, bound to the link.

    Line ends are normalised: a browser sends CR LF for what a hidden field holds as LF."""

    def text(value: str) -> str:
        return value.replace("\r\n", "\n").strip()

    shown = json.dumps(
        [
            link_id,
            sorted(ratings.items()),
            sorted((key, text(value)) for key, value in comments.items()),
            text(comment),
        ],
        ensure_ascii=True,
    )
    key = current_app.config["SECRET_KEY"].encode("utf-8")
    return hmac.new(key, b"client-view-check\0" + shown.encode("ascii"), hashlib.sha256).hexdigest()


@bp.route("/<token>", methods=["GET", "POST"])
@csrf.exempt  # checked below by csrf_passes: a refused post keeps the client's answers
@limited(_token_limit)
def answer(token: str):
    now = utcnow()
    try:
        # Opening the page never spends the link (mail scanners open links too).
        link = client_links.find_usable_link(token, now)
    except InvalidClientLink:
        return _invalid_link(token)
    review = link.review
    speak_to_client(review.client.language)  # before any word or catalogue text is read
    catalogue = catalogue_of(review.catalogue_version)
    form = client_view_form(catalogue)
    page = {
        "form": form,
        "catalogue": catalogue,
        "agency_client": review.client,
        "expires_at": link.expires_at,
    }

    def edit(status: int, problems=()):
        return render_template("respond/answer.html", problems=list(problems), **page), status

    if request.method == "GET":
        return edit(200)
    if not csrf_passes():
        # The session the page was made in is gone (cookies cleared, another browser):
        # nothing is checked or sent, and what the client typed comes back in the form.
        expired = _(
            "This page had expired, so nothing was sent. Your answers are kept below: "
            "check them and send them again."
        )
        return edit(400, [expired])
    if form.change.data or switch_requested():
        # Back from the check step, or another language: the answers come back into the
        # form, nothing is judged or saved.
        return edit(200)
    if not form.validate():
        return edit(400)
    problems = check_answers(form, catalogue)
    if problems or form.errors:
        return edit(400, problems)
    ratings, comments = client_ratings(form, catalogue)
    general = form.comment.data or ""
    fingerprint = answers_fingerprint(link.id, ratings, comments, general)
    confirmed = form.send.data and hmac.compare_digest(
        (form.checked.data or "").encode("utf-8"), fingerprint.encode("utf-8")
    )
    if not confirmed:
        numbered = list(enumerate(catalogue.dimensions, start=1))
        return render_template(
            "respond/check.html",
            # (number as the form showed it, statement): the client sees no agency titles
            answered=[(n, d) for n, d in numbered if d.key in ratings],
            skipped=[(n, d) for n, d in numbered if d.key not in ratings],
            ratings=ratings,
            comments=comments,
            general=general.strip(),
            fingerprint=fingerprint,
            changed=bool(form.send.data),
            **page,
        ), 200
    try:
        client_links.submit_client_view(token, ratings, comments, general, now)
    except InvalidClientLink:
        # Used meanwhile (a second click, another tab) or expired: the same polite page.
        return _invalid_link(token)
    except (ServiceError, DomainError) as error:
        return edit(400, [client_view_error_text(error)])
    remember_sent(token)
    keep_for_the_pages_after()
    return redirect(url_for("respond.thanks"))


@bp.route("/thanks")
def thanks():
    speak_as_picked()
    return render_template("respond/thanks.html")
