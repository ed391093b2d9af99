"""The comparison page and the lead's decision."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from app.domain.errors import DomainError
from app.models import utcnow
from app.reviews import bp
from app.reviews.forms import decide_form
from app.security import lead_required
from app.services import decisions, reviews
from app.services.charts import chart_tables
from app.services.decisions import DecisionInput
from app.services.errors import ServiceError
from app.services.review_data import results_for
from app.view_helpers import current_account, or_abort


def _results_or_abort(review):
    # Before close there is nothing to compare, for anyone: 403, not an empty page.
    return or_abort(lambda: results_for(review))


@bp.route("/<int:review_id>/compare")
@login_required
def compare(review_id: int):
    review = or_abort(lambda: reviews.review_for(review_id, current_account()))
    results = _results_or_abort(review)
    return render_template(
        "reviews/compare.html",
        review=review,
        results=results,
        is_lead=reviews.leads_review(review, current_account()),
        chart_tables=chart_tables(results),
    )


@bp.route("/<int:review_id>/decide", methods=["GET", "POST"])
@lead_required
def decide(review_id: int):
    review = or_abort(lambda: reviews.review_led_by(review_id, current_account()))
    if review.state == "decided":
        flash(_("This review is already decided; the decision is in the archive."), "info")
        return redirect(url_for("reviews.compare", review_id=review.id))
    results = _results_or_abort(review)
    form = decide_form(results.verdicts)
    if form.validate_on_submit():
        given = DecisionInput(
            outcomes={
                v.category_key: form[f"outcome__{v.category_key}"].data for v in results.verdicts
            },
            rationale=form.rationale.data,
            waiver_reason=form.waiver_reason.data or "",
            clear_client=bool(form.clear_client.data),
        )
        try:
            decision = decisions.decide_review(review.id, current_account(), given, utcnow())
        except (ServiceError, DomainError) as error:
            field = getattr(error, "field", None)
            (form[field].errors if field in form else form.rationale.errors).append(str(error))
        else:
            flash(_("Decision recorded in the archive."), "success")
            return redirect(url_for("archive.detail", decision_id=decision.id))
    status = 200 if request.method == "GET" else 400
    return render_template("reviews/decide.html", review=review, results=results, form=form), status
