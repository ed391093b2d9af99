"""Domain errors, each named for what went wrong.

Each error carries a stable `code` (its class's) and the `params` a sentence needs
(numbers, keys, labels). The web layer words the code through gettext, so an error can
be read in the reader's language; the English message passed to the constructor is for
logs and the command line only.
"""

from __future__ import annotations

from typing import Any


def describe(code: str, params: dict[str, Any]) -> str:
    """The error for logs and the command line: its code and parameters, no sentence."""
    details = ", ".join(f"{key}={value!r}" for key, value in sorted(params.items()))
    return f"{code}: {details}" if details else code


class DomainError(Exception):
    """Base class of every rule violation the domain reports."""

    code = "domain_error"

    def __init__(self, message: str = "", /, *, code: str | None = None, **params: Any) -> None:
        if code is not None:  # a finer reason than the class's own code
            self.code = code
        self.params: dict[str, Any] = params
        super().__init__(message or describe(self.code, params))


# --- catalogue and configuration -------------------------------------------------


class CatalogueInvalid(DomainError):
    """The catalogue document breaks one or more rules; `problems` lists them all."""

    code = "catalogue_invalid"

    def __init__(self, problems) -> None:
        # Each problem is a catalogue_document.Problem: a code and where it was found.
        self.problems = tuple(problems)
        super().__init__(problems=[str(problem) for problem in self.problems])


class UnknownDimension(DomainError):
    """A dimension key that the catalogue does not define."""

    code = "unknown_dimension"


class UnknownCategory(DomainError):
    """A category key that the catalogue does not define."""

    code = "unknown_category"


class InvalidThresholds(DomainError):
    """Threshold settings with unknown names or values outside their sensible range;
    `problems` lists them all."""

    code = "invalid_thresholds"

    def __init__(self, problems) -> None:
        # Each problem is a thresholds.ThresholdProblem: a code, the threshold and params.
        self.problems = tuple(problems)
        super().__init__(problems=[str(problem) for problem in self.problems])


# --- review data -------------------------------------------------------------------


class InvalidReviewData(DomainError):
    """Base class for answers and review settings that break the rules of the survey."""

    code = "invalid_review_data"


class EmptyReviewData(InvalidReviewData):
    """No team member has submitted an answer, so there is nothing to score."""

    code = "empty_review_data"


class RatingOutOfRange(InvalidReviewData):
    """A rating that is not a whole number from 1 to 5."""

    code = "rating_out_of_range"


class ConfidenceOutOfRange(InvalidReviewData):
    """A confidence that is not a whole percentage from 50 to 100."""

    code = "confidence_out_of_range"


class ComplexityOutOfRange(InvalidReviewData):
    """A complexity rating that is not a whole number from 1 to 5."""

    code = "complexity_out_of_range"


class DuplicateRespondent(InvalidReviewData):
    """Two responses carry the same respondent label."""

    code = "duplicate_respondent"


class MissingRespondentLabel(InvalidReviewData):
    """A response has a blank respondent label, so it cannot be told apart from others."""

    code = "missing_respondent_label"


class ReservedRespondentLabel(InvalidReviewData):
    """A respondent label that the engine uses itself ("team")."""

    code = "reserved_respondent_label"


class DuplicateAnswer(InvalidReviewData):
    """One response answers the same dimension twice."""

    code = "duplicate_answer"


class QuorumOutOfRange(InvalidReviewData):
    """A review quorum below one respondent."""

    code = "quorum_out_of_range"


# --- review life -------------------------------------------------------------------


class UnknownReviewState(DomainError):
    """A review state that is not open, closed or decided."""

    code = "unknown_review_state"


class TransitionNotAllowed(DomainError):
    """A review cannot move from its current state to the requested one."""

    code = "transition_not_allowed"


class ReviewNotClosable(DomainError):
    """The review is open but neither the quorum nor the deadline has been reached."""

    code = "review_not_closable"


class ReviewAlreadyClosed(DomainError):
    """The review no longer accepts answers or closing: it is closed or decided."""

    code = "review_already_closed"


class ReviewNotClosed(DomainError):
    """A decision was attempted while the review is still open."""

    code = "review_not_closed"


class ReviewAlreadyDecided(DomainError):
    """The review has a decision already; a later review supersedes it instead."""

    code = "review_already_decided"


# --- archive -----------------------------------------------------------------------


class SnapshotNotSerializable(DomainError):
    """A snapshot holds a value that has no canonical JSON form."""

    code = "snapshot_not_serializable"


# --- answers and decisions -------------------------------------------------------------


class IncompleteResponse(DomainError):
    """A member tried to submit an answer that still has gaps.

    `missing` lists them as Gap(code, subject): code "rating", "confidence",
    "complexity" or "evidence"; subject the dimension or category key (None for complexity).
    """

    code = "incomplete_response"

    def __init__(self, missing: list) -> None:
        self.missing = list(missing)
        super().__init__(missing=self.missing)


class DecisionRefused(DomainError):
    """A decision breaks a rule; `field` names the form field it concerns, if any.

    The code says which rule: rationale_missing, waiver_missing, category_not_voted,
    category_undecided, unknown_outcome, confirmation_refused.
    """

    code = "decision_refused"

    def __init__(self, *, field: str | None = None, code: str | None = None, **params: Any):
        super().__init__(code=code, **params)
        self.field = field


class ConfirmationRefused(DecisionRefused):
    """A category was to be confirmed although its verdict fails."""

    code = "confirmation_refused"
