"""Errors raised by use cases, named for what went wrong; views map them to messages."""

from __future__ import annotations


class ServiceError(Exception):
    """A use case refused to run; the message is safe to show to the user."""


class NotFound(ServiceError):
    pass


class Forbidden(ServiceError):
    pass


class TooFewRespondents(Forbidden):
    """Fewer distinct respondents than the deployment's minimum: no results are shown and
    nothing can be confirmed, because any aggregate would expose one member's answers."""

    def __init__(self, respondents: int, needed: int) -> None:
        super().__init__(
            f"Only {respondents} team member(s) answered; results are shown from {needed} on."
        )
        self.respondents = respondents
        self.needed = needed


class InvalidCredentials(ServiceError):
    def __init__(self) -> None:
        # One message for unknown e-mail, wrong password and deactivated account:
        # the login form must not tell an attacker which accounts exist.
        super().__init__("Invalid e-mail or password.")


class EmailAlreadyUsed(ServiceError):
    def __init__(self, email: str) -> None:
        super().__init__(f"A user with the e-mail {email} already exists.")


class LastAdminRequired(ServiceError):
    def __init__(self) -> None:
        super().__init__(
            "Candor needs at least one active admin; this change would remove the last one."
        )


class WrongPassword(ServiceError):
    def __init__(self) -> None:
        super().__init__("Your current password is not correct.")


class WeakPassword(ServiceError):
    pass


class InvalidInput(ServiceError):
    """Input that passed the form but breaks a rule (e.g. a quorum above the team size)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class ResponseAlreadySubmitted(ServiceError):
    def __init__(self) -> None:
        super().__init__("You have already submitted your answer; it is locked and was kept.")


class InvalidClientLink(ServiceError):
    def __init__(self) -> None:
        # One message for unknown, expired, used and revoked links: a guesser learns nothing.
        super().__init__("This link is no longer valid.")


class ClientViewAlreadyRecorded(ServiceError):
    def __init__(self) -> None:
        super().__init__("The client's view for this review has already been recorded.")


class ConcurrentChange(ServiceError):
    def __init__(self) -> None:
        super().__init__(
            "Someone else changed this review at the same moment; reload and try again."
        )


class NoClientAnswers(InvalidInput):
    """The client's view rates no statement at all: skipping every one says nothing."""

    def __init__(self) -> None:
        super().__init__("Please answer at least one question.")


class RecorderAnsweredReview(ServiceError):
    """Whoever records the client's view must not have rated the team on the same review:
    the client's view is the check on the team's, so one person cannot write both."""

    def __init__(self) -> None:
        super().__init__(
            "You submitted a team answer on this review, so you cannot also record the "
            "client's view: it must come from someone who did not rate the team. An admin "
            "who did not answer can record it."
        )
