"""Errors raised by use cases, named for what went wrong; views map them to messages."""

from __future__ import annotations


class ServiceError(Exception):
    """A use case refused to run; the message is safe to show to the user."""


class NotFound(ServiceError):
    pass


class Forbidden(ServiceError):
    pass


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
