"""Domain and service errors in the reader's language.

The domain raises errors with a code and parameters, never sentences for people
(app/domain/errors.py). This is the one place that words them, through gettext, so a
refusal reads in English, Danish or Hungarian. An error without a wording here falls
back to its own message, which is English: add the code here when a new error can reach
a page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_babel import format_datetime, ngettext
from flask_babel import gettext as _

from app.domain.catalogue import Catalogue
from app.domain.decision_rules import Gap
from app.domain.errors import DomainError
from app.services.errors import ServiceError


def _names(catalogue: Catalogue | None, kind: str, keys: Any) -> str:
    names = catalogue.names()[kind] if catalogue is not None else {}
    return ", ".join(f"“{names.get(key, key)}”" for key in keys or ())


WORDINGS: dict[str, Callable[[dict[str, Any], Catalogue | None], str]] = {
    "review_already_closed": lambda p, c: _(
        "This review is closed; answers and closing are no longer possible."
    ),
    "review_empty": lambda p, c: _(
        "Nobody has submitted an answer yet; an empty review cannot be closed. "
        "Extend the deadline to give the team more time."
    ),
    "review_not_closable": lambda p, c: _(
        "The review cannot be closed yet: %(submitted)s of %(quorum)s required answers, "
        "and the deadline (%(deadline)s) has not passed.",
        submitted=p.get("submitted"),
        quorum=p.get("quorum"),
        deadline=format_datetime(p["deadline"], "yyyy-MM-dd HH:mm 'UTC'")
        if p.get("deadline")
        else "—",
    ),
    "review_not_closed": lambda p, c: _(
        "The review is still open; close it before recording a decision."
    ),
    "review_already_decided": lambda p, c: _(
        "This review is already decided, and a decision is never overwritten. "
        "Open a new review to supersede it."
    ),
    "transition_not_allowed": lambda p, c: _("This step is not possible in the review's state."),
    "rationale_missing": lambda p, c: _("Write the rationale for your decision."),
    "waiver_missing": lambda p, c: _(
        "The client never gave its view. A missing client view never counts as agreement: "
        "write why you decide without it (the decision is then marked one-sided)."
    ),
    "waiver_missing_for_skipped": lambda p, c: _(
        "The client skipped %(questions)s, linked to %(name)s. To confirm it anyway, write why "
        "you decide without the client's view there (the decision is then one-sided).",
        questions=_names(c, "dimensions", p.get("questions")),
        name=_names(c, "categories", [p.get("category")]),
    ),
    "category_not_voted": lambda p, c: _(
        "Only categories that received votes can be decided: %(names)s.",
        names=_names(c, "categories", p.get("categories")),
    ),
    "category_undecided": lambda p, c: _(
        "Decide every category that received votes: %(names)s.",
        names=_names(c, "categories", p.get("categories")),
    ),
    "unknown_outcome": lambda p, c: _("Choose “confirm” or “do not confirm”."),
    "incident_not_of_client": lambda p, c: _("Attach only entries from this client's log."),
    "confirmation_refused": lambda p, c: _(
        "%(name)s cannot be confirmed: the agreement rule does not hold for it.",
        name=_names(c, "categories", [p.get("category")]),
    ),
}


SERVICE_WORDINGS: dict[str, Callable[[dict[str, Any], Catalogue | None], str]] = {
    "not_found": lambda p, c: _("There is no such page or object."),
    "forbidden": lambda p, c: _("You may not do this."),
    "too_few_respondents": lambda p, c: _(
        "Only %(n)s team members answered; results are shown from %(needed)s on.",
        n=p.get("respondents"),
        needed=p.get("needed"),
    ),
    "invalid_credentials": lambda p, c: _("Invalid e-mail or password."),
    "duplicate_client_name": lambda p, c: _(
        "A client named “%(existing)s” already exists. Open that client, or choose a "
        "name that tells the two apart.",
        existing=p.get("existing"),
    ),
    "client_name_blank": lambda p, c: _("Give the client a name with visible characters."),
    "email_already_used": lambda p, c: _(
        "A user with the e-mail %(email)s already exists.", email=p.get("email")
    ),
    "last_admin_required": lambda p, c: _(
        "Candor needs at least one active admin; this change would remove the last one."
    ),
    "wrong_password": lambda p, c: _("Your current password is not correct."),
    "password_too_short": lambda p, c: _(
        "A password needs at least %(n)s characters.", n=p.get("minimum")
    ),
    "password_too_long": lambda p, c: _(
        "A password may have at most %(n)s characters.", n=p.get("maximum")
    ),
    "unknown_role": lambda p, c: _("Unknown role."),
    "unknown_language": lambda p, c: _("Choose one of the languages offered."),
    "catalogue_unchanged": lambda p, c: _(
        "This is exactly the catalogue already published as version %(n)s; nothing was published.",
        n=p.get("version"),
    ),
    "unknown_status": lambda p, c: _("Unknown client status."),
    "response_already_submitted": lambda p, c: _(
        "You have already submitted your answer; it is locked and was kept."
    ),
    "invalid_client_link": lambda p, c: _("This link is no longer valid."),
    "no_mail_route": lambda p, c: _(
        "The link cannot be e-mailed: e-mail is not configured or the client has no "
        "contact address. Copy the link and send it yourself."
    ),
    "client_view_already_recorded": lambda p, c: _(
        "The client's view for this review has already been recorded."
    ),
    "answers_changed_since_shown": lambda p, c: _(
        "The stored answers of this review changed after this page was drawn, outside "
        "Candor. Nothing was recorded. The verdicts below are drawn from the answers as "
        "they are stored now: read them again before you decide."
    ),
    "concurrent_change": lambda p, c: _(
        "Someone else changed this review at the same moment; reload and try again."
    ),
    "no_client_answers": lambda p, c: _("Please answer at least one question."),
    "no_participants": lambda p, c: _("Choose at least one participant."),
    "answer_after_recording": lambda p, c: _(
        "You recorded the client's view on this review, so you cannot also answer it: "
        "the client's view is the check on the team's."
    ),
    "too_few_participants": lambda p, c: _(
        "Choose at least %(n)s participants: results are shown only from %(n)s respondents on.",
        n=p.get("minimum"),
    ),
    "quorum_below_minimum": lambda p, c: _(
        "The quorum must be at least %(n)s: results are shown only from %(n)s respondents on.",
        n=p.get("minimum"),
    ),
    "quorum_above_team": lambda p, c: _(
        "The quorum (%(quorum)s) cannot be larger than the number of participants (%(n)s).",
        quorum=p.get("quorum"),
        n=p.get("participants"),
    ),
    "deadline_in_past": lambda p, c: _("The deadline must be in the future."),
    "deadline_not_later": lambda p, c: _(
        "The new deadline must be later than the current one and in the future."
    ),
    "client_archived": lambda p, c: _(
        "This client is archived; restore it before opening a review."
    ),
    "inactive_participant": lambda p, c: _("Every participant must be an active user."),
    "complexity_out_of_range": lambda p, c: _(
        "Choose the project's complexity from %(low)s to %(high)s.",
        low=p.get("low"),
        high=p.get("high"),
    ),
    "unknown_keys": lambda p, c: _(
        "The form held a question or category this review does not have."
    ),
    "rating_out_of_range": lambda p, c: _("Every answer must be between 1 and 5."),
    "comment_without_answer": lambda p, c: _(
        "A comment can only be kept with an answer to its statement."
    ),
    "source_quote_missing": lambda p, c: _(
        "Quote the client's own words and say where they come from."
    ),
    "recorder_answered_review": lambda p, c: _(
        "You submitted a team answer on this review, so you cannot also record the client's "
        "view: it must come from someone who did not rate the team."
    ),
    # Issue 14: one open review per client, cancelling and changing an open review.
    "review_already_open": lambda p, c: _(
        "%(client)s already has an open review (#%(id)s, opened %(when)s). Close, decide or "
        "cancel it before opening another.",
        client=p.get("client"),
        id=p.get("review_id"),
        when=format_datetime(p["opened_at"], "yyyy-MM-dd") if p.get("opened_at") else "—",
    ),
    "review_awaiting_decision": lambda p, c: _(
        "%(client)s has a closed review (#%(id)s, closed %(when)s) that is not decided yet. "
        "Decide it before opening another: its results have been seen, so they go to the "
        "archive whatever you decide, even if nothing is confirmed.",
        client=p.get("client"),
        id=p.get("review_id"),
        when=format_datetime(p["closed_at"], "yyyy-MM-dd") if p.get("closed_at") else "—",
    ),
    "reason_missing": lambda p, c: _("Say why the review is cancelled."),
    "reason_too_long": lambda p, c: _("The reason is too long."),
    "participant_answered": lambda p, c: ngettext(
        "%(num)d member who already submitted an answer cannot be removed.",
        "%(num)d members who already submitted an answer cannot be removed.",
        p.get("count") or 1,
    ),
}


def error_text(error: Exception, catalogue: Catalogue | None = None) -> str:
    """The error in the reader's language; its own message when no wording is known."""
    code = getattr(error, "code", None)
    params = getattr(error, "params", None) or {}
    if isinstance(error, DomainError | ServiceError):
        wording = WORDINGS.get(code) or SERVICE_WORDINGS.get(code)
        if wording is not None:
            return wording(params, catalogue)
    return str(error)


def gap_text(gap: Gap, catalogue: Catalogue) -> str:
    """One thing still missing from a member's answer, as a short instruction."""
    names = catalogue.names()
    if gap.code == "rating":
        return _("Rate “%(question)s”.", question=names["dimensions"].get(gap.subject, gap.subject))
    if gap.code == "confidence":
        return _(
            "Give your confidence for “%(question)s”.",
            question=names["dimensions"].get(gap.subject, gap.subject),
        )
    if gap.code == "complexity":
        return _("Rate the project's complexity.")
    return _(
        "Give evidence for the category “%(name)s”, or untick it.",
        name=names["categories"].get(gap.subject, gap.subject),
    )
