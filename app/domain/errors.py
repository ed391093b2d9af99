"""Domain errors, each named for what went wrong.

Every message is a sentence a person can read: the web layer shows it as it is.
"""

from __future__ import annotations


class DomainError(Exception):
    """Base class of every rule violation the domain reports."""


# --- catalogue and configuration -------------------------------------------------


class CatalogueInvalid(DomainError):
    """The catalogue document breaks one or more rules; `problems` lists them all."""

    def __init__(self, problems: list[str] | tuple[str, ...]) -> None:
        self.problems = tuple(problems)
        super().__init__("The catalogue is invalid: " + "; ".join(self.problems) + ".")


class UnknownDimension(DomainError):
    """A dimension key that the catalogue does not define."""


class UnknownCategory(DomainError):
    """A category key that the catalogue does not define."""


class InvalidThresholds(DomainError):
    """A threshold setting has an unknown name or a value outside its sensible range."""


# --- review data -------------------------------------------------------------------


class InvalidReviewData(DomainError):
    """Base class for answers and review settings that break the rules of the survey."""


class EmptyReviewData(InvalidReviewData):
    """No team member has submitted an answer, so there is nothing to score."""


class RatingOutOfRange(InvalidReviewData):
    """A rating that is not a whole number from 1 to 5."""


class ConfidenceOutOfRange(InvalidReviewData):
    """A confidence that is not a whole percentage from 50 to 100."""


class ComplexityOutOfRange(InvalidReviewData):
    """A complexity rating that is not a whole number from 1 to 5."""


class DuplicateRespondent(InvalidReviewData):
    """Two responses carry the same respondent label."""


class MissingRespondentLabel(InvalidReviewData):
    """A response has a blank respondent label, so it cannot be told apart from others."""


class ReservedRespondentLabel(InvalidReviewData):
    """A respondent label that the engine uses itself ("team")."""


class DuplicateAnswer(InvalidReviewData):
    """One response answers the same dimension twice."""


class QuorumOutOfRange(InvalidReviewData):
    """A review quorum below one respondent."""


# --- review life -------------------------------------------------------------------


class UnknownReviewState(DomainError):
    """A review state that is not open, closed or decided."""


class TransitionNotAllowed(DomainError):
    """A review cannot move from its current state to the requested one."""


class ReviewNotClosable(DomainError):
    """The review is open but neither the quorum nor the deadline has been reached."""


class ReviewAlreadyClosed(DomainError):
    """The review no longer accepts answers or closing: it is closed or decided."""


class ReviewNotClosed(DomainError):
    """A decision was attempted while the review is still open."""


class ReviewAlreadyDecided(DomainError):
    """The review has a decision already; a later review supersedes it instead."""


# --- archive -----------------------------------------------------------------------


class SnapshotNotSerializable(DomainError):
    """A snapshot holds a value that has no canonical JSON form."""


# --- answers and decisions -------------------------------------------------------------


class IncompleteResponse(DomainError):
    """A member tried to submit an answer that still has gaps; `missing` lists them."""

    def __init__(self, missing: list[str]) -> None:
        self.missing = list(missing)
        super().__init__("Your answer is not complete: " + "; ".join(self.missing) + ".")


class DecisionRefused(DomainError):
    """A decision breaks a rule; `field` names the form field it concerns, if any."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class ConfirmationRefused(DecisionRefused):
    """A category was to be confirmed although its verdict fails."""
