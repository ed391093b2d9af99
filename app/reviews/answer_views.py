"""A member's blind answer, and the lead's record of the client's view."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from app.domain.errors import DomainError, IncompleteResponse
from app.domain.lifecycle import ReviewState
from app.messages import error_text, gap_text
from app.models import utcnow
from app.respond.forms import check_answers, client_ratings, recorded_view_form
from app.respond.messages import client_view_error_text
from app.reviews import bp
from app.reviews.forms import response_form, response_form_data
from app.security import lead_required
from app.services import client_links, reviews
from app.services.errors import (
    InvalidInput,
    RecorderAnsweredReview,
    ResponseAlreadySubmitted,
    ServiceError,
)
from app.services.reviews import AnswerInput, ResponseInput
from app.view_helpers import current_account, or_abort


def _response_input(form, catalogue) -> ResponseInput:
    answers = {}
    for d in catalogue.dimensions:
        rating = form[f"rating__{d.key}"].data
        confidence = form[f"confidence__{d.key}"].data
        comment = form[f"comment__{d.key}"].data or ""
        if rating is not None or confidence is not None or comment.strip():
            answers[d.key] = AnswerInput(rating, confidence, comment)
    choices = {
        c.key: form[f"evidence__{c.key}"].data or ""
        for c in catalogue.categories
        if form[f"choose__{c.key}"].data
    }
    return ResponseInput(form.complexity.data, answers, choices, bool(form.consent_named.data))


@bp.route("/<int:review_id>/answer", methods=["GET", "POST"])
@login_required
def answer(review_id: int):
    review = or_abort(lambda: reviews.review_for(review_id, current_account()))
    if not reviews.is_participant(review, current_account()):
        abort(403)
    catalogue = reviews.catalogue_for(review)
    own = reviews.own_response(review, current_account())
    if own is not None and own.status == "submitted":
        if request.method == "POST":
            flash(str(ResponseAlreadySubmitted()), "error")
        return redirect(url_for("reviews.detail", review_id=review.id))
    if review.state != ReviewState.OPEN:
        if request.method == "POST":
            flash(
                _("This review is closed; answers can no longer change. Nothing was saved."),
                "error",
            )
        return redirect(url_for("reviews.detail", review_id=review.id))
    form = response_form(
        catalogue,
        data=response_form_data(own, catalogue) if own and request.method == "GET" else None,
    )
    problems: list[str] = []
    if form.validate_on_submit():
        submitting = bool(form.submit.data)
        try:
            reviews.save_response(
                review.id, current_account(), _response_input(form, catalogue), submitting, utcnow()
            )
        except IncompleteResponse as error:
            problems = [gap_text(gap, catalogue) for gap in error.missing]
        except (ServiceError, DomainError) as error:
            flash(error_text(error, catalogue), "error")
            return redirect(url_for("reviews.detail", review_id=review.id))
        else:
            if submitting:
                flash(_("Thank you. Your answer is submitted and locked."), "success")
                return redirect(url_for("reviews.detail", review_id=review.id))
            flash(
                _("Draft saved. Only you can see it; come back any time before the deadline."),
                "success",
            )
            return redirect(url_for("reviews.answer", review_id=review.id))
    status = 200 if request.method == "GET" else 400
    return render_template(
        "reviews/answer.html",
        review=review,
        catalogue=catalogue,
        form=form,
        problems=problems,
        participants=len(review.participants),
    ), status


@bp.route("/<int:review_id>/client-view", methods=["GET", "POST"])
@lead_required
def record_client_view(review_id: int):
    """The lead writes down the client's view from the client's own messages. Statements
    the messages do not speak to stay "not stated". Whoever submitted a team answer on
    the review may not record the client's view (the service refuses; said up front)."""
    review = or_abort(lambda: reviews.review_led_by(review_id, current_account()))
    catalogue = reviews.catalogue_for(review)
    form = recorded_view_form(catalogue)
    refusal = None
    problems: list[str] = []
    try:
        client_links.ensure_may_record_client_view(review, current_account())
    except RecorderAnsweredReview as error:
        refusal = client_view_error_text(error)
    if refusal is None and form.validate_on_submit():
        problems = check_answers(form, catalogue)
        if not problems and not form.errors:
            ratings, comments = client_ratings(form, catalogue)
            try:
                client_links.record_client_view(
                    review.id,
                    current_account(),
                    ratings,
                    comments,
                    form.source_quote.data,
                    utcnow(),
                )
            except RecorderAnsweredReview as error:
                refusal = client_view_error_text(error)
            except (ServiceError, DomainError) as error:
                problems = [client_view_error_text(error)]
                if isinstance(error, InvalidInput) and error.field == "source_quote":
                    form.source_quote.errors.append(problems[0])
            else:
                flash(_("The client's view is recorded and marked as recorded by you."), "success")
                return redirect(url_for("reviews.detail", review_id=review.id))
    if refusal is not None:
        status = 403
    else:
        status = 200 if request.method == "GET" else 400
    return render_template(
        "reviews/record_client_view.html",
        review=review,
        catalogue=catalogue,
        form=form,
        refusal=refusal,
        problems=problems,
    ), status
