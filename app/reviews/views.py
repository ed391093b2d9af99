from datetime import UTC, datetime, time, timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from markupsafe import Markup

from app.domain.errors import DomainError
from app.domain.lifecycle import can_close
from app.forms import ActionForm
from app.incidents.attach import chosen_incident_ids
from app.messages import error_text
from app.models import utcnow
from app.reviews import bp
from app.reviews.forms import ClientLinkIssueForm, CloseForm, DeadlineForm, ReviewOpenForm
from app.security import lead_required
from app.services import (
    client_link_mail,
    client_links,
    clients,
    review_lists,
    review_opening,
    reviews,
    users,
)
from app.services.catalogue import catalogue_of
from app.services.errors import ClientHeld, ServiceError
from app.services.review_data import client_response_of
from app.services.thresholds import current_thresholds
from app.view_helpers import current_account, or_abort


def participant_choices() -> list[tuple[int, Markup]]:
    """Everyone who may take part, as the team's checkboxes label them (opening and
    changing a review). Each name and address isolated: a right-to-left name cannot
    reorder the address."""
    return [
        (u.id, Markup("<bdi>%s</bdi> (<bdi>%s</bdi>)") % (u.name, u.email))
        for u in users.list_users_by_role("member", "lead", "admin")
    ]


@bp.route("/")
@login_required
def index():
    return render_template(
        "reviews/index.html", reviews=review_lists.reviews_visible_to(current_account())
    )


@bp.route("/new", methods=["GET", "POST"])
@lead_required
def open():  # noqa: A001 - the view is named after the verb it performs
    thresholds = current_thresholds()
    holding = None
    form = ReviewOpenForm(min_respondents=thresholds.min_respondents)
    form.client.choices = [(c.id, c.name) for c in clients.list_clients()]
    form.participants.choices = participant_choices()
    if request.method == "GET":
        form.quorum.data = thresholds.quorum
        form.complexity_floor.data = thresholds.default_complexity_floor
        form.deadline.data = (utcnow() + timedelta(days=7)).date()
        if request.args.get("client", "").isdigit():
            form.client.data = int(request.args["client"])
    if form.validate_on_submit():
        deadline = end_of_day(form.deadline.data)
        try:
            review = review_opening.open_review(
                current_account(),
                form.client.data,
                form.conflict.data,
                form.participants.data,
                deadline,
                form.quorum.data,
                utcnow(),
                complexity_floor=form.complexity_floor.data,
                incident_ids=chosen_incident_ids(request.form),
            )
        except ServiceError as error:
            target = getattr(error, "field", None) or "conflict"
            getattr(form, target, form.conflict).errors.append(error_text(error))
            # The review that holds the client (open, or closed and undecided): one link
            # away, since deciding or cancelling it is the lead's next step.
            holding = error.review_id if isinstance(error, ClientHeld) else None
        else:
            flash(_("Review opened. Participants see it on their dashboard."), "success")
            if len(form.participants.data) < 3:
                flash(
                    _(
                        "With fewer than three participants, colleagues may recognise "
                        "each other's answers after close."
                    ),
                    "warning",
                )
            return redirect(url_for("reviews.detail", review_id=review.id))
    status = 200 if request.method == "GET" or not form.errors else 400
    return render_template("reviews/open.html", form=form, holding=holding), status


@bp.route("/<int:review_id>")
@login_required
def detail(review_id: int):
    review = or_abort(lambda: reviews.review_for(review_id, current_account()))
    is_lead = reviews.leads_review(review, current_account())
    submitted_ids = {r.user_id for r in review.responses if r.status == "submitted"}
    now = utcnow()
    own = reviews.own_response(review, current_account())
    return render_template(
        "reviews/detail.html",
        page_notices=_submitted_notice(own),
        review=review,
        is_lead=is_lead,
        own=own,
        is_participant=reviews.is_participant(review, current_account()),
        team=reviews.team_of(review),
        submitted_ids=submitted_ids,
        can_close=is_lead
        and can_close(review.state, len(submitted_ids), review.quorum, review.deadline, now),
        links=[(link, client_links.link_state(link, now)) for link in client_links.links_of(review)]
        if is_lead
        else [],
        client_response=client_response_of(review) if is_lead else None,
        client_statements=len(catalogue_of(review.catalogue_version).dimensions),
        action_form=ActionForm(),
        deadline_form=DeadlineForm(),
        close_form=CloseForm(),
        link_form=ClientLinkIssueForm(),
        link_mail_to=client_link_mail.mail_route(review.client) if is_lead else "",
    )


def _submitted_notice(own) -> list[tuple[str, str]]:
    """The thanks a member is sent here with after submitting (answer_views._saved): shown
    beside the flashed messages, and only while their answer is indeed submitted."""
    if request.args.get("submitted") == "1" and own is not None and own.status == "submitted":
        return [("success", _("Thank you. Your answer is submitted and locked."))]
    return []


@bp.route("/<int:review_id>/close", methods=["POST"])
@lead_required
def close(review_id: int):
    or_abort(lambda: reviews.review_led_by(review_id, current_account()))
    form = CloseForm()
    if not form.validate_on_submit():
        if "csrf_token" in form and form.csrf_token.errors:
            abort(400)
        flash(_("Not closed: tick the box to confirm that you want to close the review."), "error")
        return redirect(url_for("reviews.detail", review_id=review_id), 303)
    try:
        reviews.close_review(review_id, current_account(), utcnow())
    except (ServiceError, DomainError) as error:
        flash(error_text(error), "error")
        return redirect(url_for("reviews.detail", review_id=review_id))
    flash(_("Review closed. The answers are frozen and the comparison is ready."), "success")
    return redirect(url_for("reviews.compare", review_id=review_id))


def end_of_day(day) -> datetime:
    """A deadline is the end of the chosen day, in UTC."""
    return datetime.combine(day, time(23, 59, 59), tzinfo=UTC)


@bp.route("/<int:review_id>/deadline", methods=["POST"])
@lead_required
def extend_deadline(review_id: int):
    or_abort(lambda: reviews.review_led_by(review_id, current_account()))
    form = DeadlineForm()
    if not form.validate_on_submit():
        flash(_("Give the new deadline as a date."), "error")
        return redirect(url_for("reviews.detail", review_id=review_id)), 303
    try:
        reviews.extend_deadline(
            review_id, current_account(), end_of_day(form.deadline.data), utcnow()
        )
    except (ServiceError, DomainError) as error:
        flash(error_text(error), "error")
    else:
        flash(_("Deadline moved. Participants who have not answered can still do so."), "success")
    return redirect(url_for("reviews.detail", review_id=review_id))
