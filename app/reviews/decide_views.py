"""The comparison page and the lead's decision."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from app.domain.errors import DomainError
from app.domain.lifecycle import ReviewState, may_see_results
from app.messages import error_text
from app.models import utcnow
from app.reviews import bp, compare_page
from app.reviews.forms import decide_form
from app.security import lead_required
from app.services import decisions, reviews
from app.services.catalogue import catalogue_of
from app.services.decisions import DecisionInput
from app.services.errors import (
    AnswersChangedSinceShown,
    Forbidden,
    ServiceError,
    TooFewRespondents,
)
from app.services.review_data import results_for
from app.services.stored_results import results_for_page
from app.view_helpers import current_account, or_abort


def _results_or(review, withheld_page, read=results_for):
    """The review's results, or the page for too few respondents; 403 before close."""
    try:
        return read(review), None
    except TooFewRespondents as too_few:
        return None, withheld_page(review, too_few)
    except Forbidden:
        abort(403)


def _withheld_page(review, too_few: TooFewRespondents):
    return render_template(
        "reviews/too_few.html",
        review=review,
        too_few=too_few,
        is_lead=reviews.leads_review(review, current_account()),
    )


@bp.route("/<int:review_id>/compare")
@login_required
def compare(review_id: int):
    review = or_abort(lambda: reviews.review_for(review_id, current_account()))
    is_lead = reviews.leads_review(review, current_account())
    if may_see_results(review.state):
        # The lifecycle is asked before the cache, so an open review's page is never served.
        cached = compare_page.cached_blocks(review, is_lead)
        if cached is not None:
            return compare_page.framed(review, *cached)
    # Kept since close while they hold; the decide page below reads the rows themselves.
    results, withheld = _results_or(review, _withheld_page, results_for_page)
    if withheld is not None:
        return withheld
    return compare_page.draw_and_keep(review, is_lead, results)


@bp.route("/<int:review_id>/decide", methods=["GET", "POST"])
@lead_required
def decide(review_id: int):
    review = or_abort(lambda: reviews.review_led_by(review_id, current_account()))
    if review.state == ReviewState.DECIDED:
        flash(_("This review is already decided; the decision is in the archive."), "info")
        return redirect(url_for("reviews.compare", review_id=review.id))
    results, withheld = _results_or(review, _decide_withheld)
    if withheld is not None:
        return withheld
    form = decide_form(results.verdicts, results.catalogue)
    if form.validate_on_submit():
        given = DecisionInput(
            outcomes={
                v.category_key: form[f"outcome__{v.category_key}"].data for v in results.verdicts
            },
            rationale=form.rationale.data,
            waiver_reason=form.waiver_reason.data or "",
            clear_client=bool(form.clear_client.data),
            seen_rows=form.seen_rows.data or "",
        )
        done = _confirm_then_decide(review, form, given, results.catalogue, results=results)
        if done is not None:
            return done
    _show_current_rows(form, results)
    status = 200 if request.method == "GET" or form.change.data else 400
    return render_template("reviews/decide.html", review=review, results=results, form=form), status


def _show_current_rows(form, results) -> None:
    """The page is drawn from the answer rows as they are now, and carries their version
    on; if a posted page was drawn from others (an edit behind the app's back), the lead
    is told once, even when another field was refused first."""
    current = results.rows_version or ""
    posted = form.seen_rows.data if request.method == "POST" else ""
    if posted and current and posted != current and not getattr(form, "told_rows", False):
        flash(error_text(AnswersChangedSinceShown(), results.catalogue), "error")
    form.seen_rows.data = current


def _confirm_then_decide(review, form, given, catalogue, results=None):
    """The confirmation step, the same for every decision: the first submit is checked and
    shown back with the client status that will follow; only "confirm" there records it.
    Returns the response, or None to show the form again (changing, or refused)."""
    if form.change.data:
        form.confirmed.data = ""
        return None
    if not (form.confirmed.data == "1" and form.confirm.data):
        try:
            preview = decisions.preview_decision(review.id, current_account(), given)
        except (ServiceError, DomainError) as error:
            _refusal_on_field(form, error, catalogue)
            return None
        form.confirmed.data = "1"  # rendered by hidden_tag: "confirm" on that page records
        return render_template(
            "reviews/decide_confirm.html",
            review=review,
            form=form,
            given=given,
            status_after=preview.status_after,
            one_sided=preview.one_sided,
            catalogue=catalogue,
            results=results,
        )
    try:
        decision = decisions.decide_review(review.id, current_account(), given, utcnow())
    except (ServiceError, DomainError) as error:
        form.confirmed.data = ""
        _refusal_on_field(form, error, catalogue)
        return None
    flash(_("Decision recorded in the archive."), "success")
    return redirect(url_for("archive.detail", decision_id=decision.id))


def _refusal_on_field(form, error, catalogue) -> None:
    message = error_text(error, catalogue)
    if isinstance(error, AnswersChangedSinceShown):
        # Said above the page, which is drawn again from the rows as they are now.
        flash(message, "error")
        form.told_rows = True
        return
    field = getattr(error, "field", None)
    (form[field].errors if field in form else form.rationale.errors).append(message)


def _decide_withheld(review, too_few: TooFewRespondents):
    """Too few respondents: nothing can be confirmed, but the lead can still close the
    matter with a rationale, so the review does not stay undecided for ever."""
    catalogue = catalogue_of(review.catalogue_version)
    form = decide_form((), catalogue)
    if form.validate_on_submit():
        given = DecisionInput(
            outcomes={},
            rationale=form.rationale.data,
            clear_client=bool(form.clear_client.data),
        )
        done = _confirm_then_decide(review, form, given, catalogue)
        if done is not None:
            return done
    status = 200 if request.method == "GET" or form.change.data else 400
    page = "reviews/decide_withheld.html"
    return render_template(page, review=review, too_few=too_few, form=form), status
