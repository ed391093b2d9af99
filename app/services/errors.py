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
