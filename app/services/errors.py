"""Errors raised by use cases, named for what went wrong; views map them to messages.

Like the domain's errors, each carries a stable `code` (its class's, or a finer one given
when raised) and `params`; app/messages.py words them in the reader's language. The
English message is for logs and the command line, and the fallback for a code that has
no wording yet.
"""

from __future__ import annotations

from typing import Any


class ServiceError(Exception):
    """A use case refused to run; the message is safe to show to the user."""

    code = "service_error"

    def __init__(self, message: str = "", *args: Any, code: str | None = None, **params: Any):
        if code is not None:
            self.code = code
        self.params: dict[str, Any] = params
        super().__init__(message or self.code, *args)


class NotFound(ServiceError):
    code = "not_found"


class CatalogueUnchanged(ServiceError):
    """The document asks and judges exactly as the latest published version."""

    code = "catalogue_unchanged"


class Forbidden(ServiceError):
    code = "forbidden"


class TooFewRespondents(Forbidden):
    """Fewer distinct respondents than the deployment's minimum: no results are shown and
    nothing can be confirmed, because any aggregate would expose one member's answers."""

    code = "too_few_respondents"

    def __init__(self, respondents: int, needed: int) -> None:
        super().__init__(
            f"Only {respondents} team member(s) answered; results are shown from {needed} on.",
            respondents=respondents,
            needed=needed,
        )
        self.respondents = respondents
        self.needed = needed


class InvalidCredentials(ServiceError):
    code = "invalid_credentials"

    def __init__(self) -> None:
        # One message for unknown e-mail, wrong password and deactivated account:
        # the login form must not tell an attacker which accounts exist.
        super().__init__("Invalid e-mail or password.")


class EmailAlreadyUsed(ServiceError):
    code = "email_already_used"

    def __init__(self, email: str) -> None:
        super().__init__(f"A user with the e-mail {email} already exists.", email=email)


class LastAdminRequired(ServiceError):
    code = "last_admin_required"

    def __init__(self) -> None:
        super().__init__(
            "Candor needs at least one active admin; this change would remove the last one."
        )


class WrongPassword(ServiceError):
    code = "wrong_password"

    def __init__(self) -> None:
        super().__init__("Your current password is not correct.")


class WeakPassword(ServiceError):
    code = "weak_password"


class InvalidInput(ServiceError):
    """Input that passed the form but breaks a rule (e.g. a quorum above the team size)."""

    code = "invalid_input"

    def __init__(
        self, message: str, field: str | None = None, *, code: str | None = None, **params: Any
    ) -> None:
        super().__init__(message, code=code, **params)
        self.field = field


class ClientHeld(InvalidInput):
    """A new review of a client that another review holds (open, or closed and not yet
    decided: lifecycle.HOLDS_CLIENT). `review_id` names that review, so a page can link to
    it: deciding or cancelling it is the next step."""

    def __init__(self, message: str, *, code: str, review_id: int, **params: Any) -> None:
        super().__init__(message, "client", code=code, review_id=review_id, **params)
        self.review_id = review_id


class ResponseAlreadySubmitted(ServiceError):
    code = "response_already_submitted"

    def __init__(self) -> None:
        super().__init__("You have already submitted your answer; it is locked and was kept.")


class InvalidClientLink(ServiceError):
    code = "invalid_client_link"

    def __init__(self) -> None:
        # One message for unknown, expired, used and revoked links: a guesser learns nothing.
        super().__init__("This link is no longer valid.")


class ClientViewAlreadyRecorded(ServiceError):
    code = "client_view_already_recorded"

    def __init__(self) -> None:
        super().__init__("The client's view for this review has already been recorded.")


class ConcurrentChange(ServiceError):
    code = "concurrent_change"

    def __init__(self) -> None:
        super().__init__(
            "Someone else changed this review at the same moment; reload and try again."
        )


class AnswersChangedSinceShown(ServiceError):
    """The review's answer rows are not what the lead's decide page was drawn from: someone
    edited them behind the app's back (after close the app writes none). Nothing is
    recorded; the page is drawn again from the rows as they are."""

    code = "answers_changed_since_shown"

    def __init__(self) -> None:
        super().__init__("The review's answers changed since the page was drawn.")


class NoClientAnswers(InvalidInput):
    """The client's view rates no statement at all: skipping every one says nothing."""

    code = "no_client_answers"

    def __init__(self) -> None:
        super().__init__("Please answer at least one question.")


class RecorderAnsweredReview(ServiceError):
    """Whoever records the client's view must not have rated the team on the same review:
    the client's view is the check on the team's, so one person cannot write both."""

    code = "recorder_answered_review"

    def __init__(self) -> None:
        super().__init__(
            "You submitted a team answer on this review, so you cannot also record the "
            "client's view: it must come from someone who did not rate the team. An admin "
            "who did not answer can record it."
        )


class DuplicateClientName(ServiceError):
    """Another client already has this name, compared case-insensitively and trimmed
    (app/domain/names.py): two rows for one client would split its history."""

    code = "duplicate_client_name"

    def __init__(self, existing: str) -> None:
        super().__init__(f"A client named {existing!r} already exists.", existing=existing)
