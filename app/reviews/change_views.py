"""The lead changes an open review: cancels it with a reason, or changes its team, quorum
and deadline."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.domain.errors import DomainError
from app.domain.lifecycle import ReviewState
from app.messages import error_text
from app.models import utcnow
from app.reviews import bp
from app.reviews.forms import ReviewCancelForm, ReviewChangeForm
from app.reviews.views import end_of_day, participant_choices
from app.security import lead_required
from app.services import review_changes, reviews
from app.services.errors import ServiceError
from app.view_helpers import current_account, or_abort


def _open_review_led(review_id: int):
    review = or_abort(lambda: reviews.review_led_by(review_id, current_account()))
    if review.state != ReviewState.OPEN:
        flash(_("Only an open review can be changed or cancelled."), "error")
        return review, redirect(url_for("reviews.detail", review_id=review.id))
    return review, None


def _refusal(form, error, default: str) -> None:
    target = getattr(error, "field", None)
    (form[target] if target in form else form[default]).errors.append(error_text(error))


@bp.route("/<int:review_id>/cancel", methods=["GET", "POST"])
@lead_required
def cancel(review_id: int):
    review, away = _open_review_led(review_id)
    if away is not None:
        return away
    form = ReviewCancelForm()
    if form.validate_on_submit():
        try:
            review_changes.cancel_review(review.id, current_account(), form.reason.data, utcnow())
        except (ServiceError, DomainError) as error:
            _refusal(form, error, "reason")
        else:
            flash(
                _("Review cancelled. The answers are kept; the client's status is restored."),
                "success",
            )
            return redirect(url_for("reviews.detail", review_id=review.id))
    status = 200 if request.method == "GET" else 400
    return render_template("reviews/cancel.html", review=review, form=form), status


@bp.route("/<int:review_id>/change", methods=["GET", "POST"])
@lead_required
def change(review_id: int):
    review, away = _open_review_led(review_id)
    if away is not None:
        return away
    form = ReviewChangeForm()
    form.participants.choices = participant_choices()
    if request.method == "GET":
        form.participants.data = [p.user_id for p in review.participants]
        form.quorum.data = review.quorum
        form.deadline.data = review.deadline.date()
    if form.validate_on_submit():
        try:
            review_changes.change_review(
                review.id,
                current_account(),
                form.participants.data,
                form.quorum.data,
                end_of_day(form.deadline.data),
                utcnow(),
            )
        except (ServiceError, DomainError) as error:
            _refusal(form, error, "participants")
        else:
            flash(_("The review's team, quorum and deadline are saved."), "success")
            return redirect(url_for("reviews.detail", review_id=review.id))
    submitted = {r.user_id for r in review.responses if r.status == "submitted"}
    status = 200 if request.method == "GET" else 400
    return render_template(
        "reviews/change.html", review=review, form=form, submitted=submitted
    ), status
