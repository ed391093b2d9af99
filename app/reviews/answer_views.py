"""A member's blind answer, and the lead's record of the client's view."""

from typing import NamedTuple

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from app.domain.errors import DomainError, IncompleteResponse
from app.domain.lifecycle import ReviewState
from app.extensions import csrf
from app.messages import error_text, gap_text
from app.models import utcnow
from app.respond.forms import check_answers, client_ratings, recorded_view_form
from app.respond.messages import client_view_error_text
from app.reviews import bp
from app.reviews.answer_forms import (
    TEXT_LIMITS,
    anchor_of,
    answer_labels,
    answered_count,
    gap_field,
    page_order,
    rejected_fields,
    response_form,
    response_form_data,
)
from app.reviews.answer_post import answer_post_data
from app.security import lead_required
from app.services import client_links, reviews
from app.services.errors import (
    InvalidInput,
    RecorderAnsweredReview,
    ResponseAlreadySubmitted,
    ServiceError,
)
from app.services.response_rows import AnswerInput, ResponseInput
from app.view_helpers import csrf_passes, current_account, or_abort


def _response_input(data: dict, catalogue, rejected: set[str]) -> ResponseInput:
    """What the member typed (the fields' data by name), without the values the form
    refused (reported separately)."""

    def value(name):
        return None if name in rejected else data[name]

    answers = {}
    for d in catalogue.dimensions:
        rating = value(f"rating__{d.key}")
        confidence = value(f"confidence__{d.key}")
        comment = value(f"comment__{d.key}") or ""
        if rating is not None or confidence is not None or comment.strip():
            answers[d.key] = AnswerInput(rating, confidence, comment)
    choices = {
        c.key: value(f"evidence__{c.key}") or ""
        for c in catalogue.categories
        if data[f"choose__{c.key}"]
    }
    return ResponseInput(value("complexity"), answers, choices, bool(data["consent_named"]))


def _problems(form, gaps) -> list[tuple[str, str]]:
    """Every problem at once, in page order, each with the id of its field (the list links
    to it); the fields are marked too: refused values, missing items, the confirmation."""
    for gap in gaps:
        form[gap_field(gap)].errors.append(_("Required to submit."))
    problems = []
    gap_texts = {gap_field(gap): gap for gap in gaps}
    labels = answer_labels(form.catalogue)
    for name in page_order(form.catalogue):
        field = form[name]
        if not field.errors:
            continue
        gap = gap_texts.get(name)
        if gap is not None:
            text = gap_text(gap, form.catalogue)
        elif name in labels:
            text = f"{labels[name]}: {' '.join(str(e) for e in field.errors)}"
        else:  # the confirmation box: its message says it all
            text = " ".join(str(e) for e in field.errors)
        problems.append((text, anchor_of(field)))
    return problems


def _show_submitted(review, catalogue, own):
    return render_template(
        "reviews/answer_submitted.html", review=review, catalogue=catalogue, own=own
    )


@bp.route("/<int:review_id>/answer", methods=["GET", "POST"])
@csrf.exempt  # checked below by csrf_passes: a refused post keeps the typed answers
@login_required
def answer(review_id: int):
    # A stale page (its token from an earlier session) saves nothing but keeps what was
    # typed: the form shows the posted values, with no check of them yet.
    csrf_failed = request.method == "POST" and not csrf_passes()
    if request.method == "POST" and not csrf_failed:
        saved = _save_at_once(review_id)
        if saved is not None:
            return saved
    review, catalogue, own = or_abort(
        lambda: reviews.review_to_answer(review_id, current_account())
    )
    if own is not None and own.status == "submitted":
        if request.method == "POST":
            flash(str(ResponseAlreadySubmitted()), "error")
            return redirect(url_for("reviews.detail", review_id=review.id))
        return _show_submitted(review, catalogue, own)
    if review.state != ReviewState.OPEN:
        if request.method == "POST":
            flash(
                _("This review is closed; answers can no longer change. Nothing was saved."),
                "error",
            )
        return redirect(url_for("reviews.detail", review_id=review.id))
    form, problems = None, []
    status, draft_saved = 200, False
    if request.method == "POST":
        if not csrf_failed:
            # A post whose every field takes its value is saved without building the form
            # (answer_post.py); otherwise the form checks it and its messages are shown.
            data = answer_post_data(catalogue)
            if data is None:
                form = _checked_form(catalogue)
                outcome = _save(review, catalogue, form.data, rejected_fields(form))
            else:
                outcome = _save(review, catalogue, data, set())
            if outcome.done is not None:
                return outcome.done
            if form is None:
                # Checked, to mark it below: no field refuses its value (answer_post.py).
                form = _checked_form(catalogue)
            if outcome.unconfirmed:
                form.confirm_submit.errors.append(
                    _("Tick this box to confirm; your answer is locked once submitted.")
                )
            problems = _problems(form, outcome.gaps)
            draft_saved = outcome.draft_saved
        status = 200 if draft_saved else 400
    if form is None:  # a page opened, or a stale page's post shown again as typed
        form = response_form(
            catalogue,
            data=response_form_data(own, catalogue) if own and request.method == "GET" else None,
        )
        form.catalogue = catalogue
    return render_template(
        "reviews/answer.html",
        review=review,
        catalogue=catalogue,
        form=form,
        problems=problems,
        draft_saved=draft_saved,
        csrf_failed=csrf_failed,
        participants=len(review.participants),
        limits=TEXT_LIMITS,
        answered=answered_count(form, catalogue),
    ), status


def _save_at_once(review_id: int) -> Response | None:
    """The usual post saved in one pass, the review read by the save's own lock: a draft
    whose every field takes its value, or such a submit, complete and confirmed. None,
    with nothing saved, for any other post or any refusal: the long way then reads the
    review first, and words each outcome (a page with the problems marked, a refusal)."""
    submitting = False

    def read(catalogue):
        nonlocal submitting
        data = answer_post_data(catalogue)
        if data is None:
            return None
        given = _response_input(data, catalogue, set())
        submitting = bool(data["submit"])
        if submitting and (not data["confirm_submit"] or reviews.submission_gaps(catalogue, given)):
            return None
        return given, submitting

    try:
        saved = reviews.save_posted_response(review_id, current_account(), read, utcnow())
    except (ServiceError, DomainError):
        return None
    return None if saved is None else _saved(review_id, submitting)


def _checked_form(catalogue):
    """The answer form on the posted values, validated (its fields then hold their errors)."""
    form = response_form(catalogue)
    form.catalogue = catalogue
    form.validate()
    return form


class _Outcome(NamedTuple):
    """A save's end: a redirect when done, else what the page marks (missing items, the
    unticked confirmation, a draft saved without its refused values)."""

    done: Response | None = None
    gaps: tuple | list = ()
    unconfirmed: bool = False
    draft_saved: bool = False


def _save(review, catalogue, data: dict, rejected: set[str]) -> _Outcome:
    """Save a draft (always, without refused values) or submit (only when complete,
    confirmed and valid). `data` is the answer fields' data by name, `rejected` the names
    of those whose value the form refused."""
    review_id = review.id  # the commit below expires `review`: no reload for the redirect
    given = _response_input(data, catalogue, rejected)
    submitting = bool(data["submit"])
    if submitting:
        gaps = reviews.submission_gaps(catalogue, given)
        unconfirmed = not data["confirm_submit"]
        if gaps or rejected or unconfirmed:
            return _Outcome(gaps=gaps, unconfirmed=unconfirmed)
    try:
        reviews.save_response(review_id, current_account(), given, submitting, utcnow())
    except IncompleteResponse as error:
        return _Outcome(gaps=error.missing)
    except (ServiceError, DomainError) as error:
        flash(error_text(error, catalogue), "error")
        return _Outcome(redirect(url_for("reviews.detail", review_id=review_id)))
    if rejected:
        # Saved, but not the refused values: they stay on the page, marked, to be fixed.
        return _Outcome(draft_saved=True)
    return _Outcome(_saved(review_id, submitting))


def _saved(review_id: int, submitted: bool) -> Response:
    """Where a member goes once their answer is saved, told so. A submit is told by its
    address (`?submitted=1`, shown only to a member whose answer is submitted), not by a
    flashed message: a flash is written into the session cookie and read out of it again,
    and the submit is the request fifty members send at once."""
    if submitted:
        return redirect(url_for("reviews.detail", review_id=review_id, submitted=1))
    flash(
        _("Draft saved. Only you can see it; come back any time before the deadline."),
        "success",
    )
    return redirect(url_for("reviews.answer", review_id=review_id))


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
