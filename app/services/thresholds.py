"""The deployment's thresholds: domain defaults overridden by CANDOR_THRESHOLD_* variables.

A mistyped variable stops the app at start-up with a sentence for the operator, who reads
it in the start-up log. That happens before any request, so there is no reader's language
to translate into: the sentences are plain English, worded here and nowhere else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from typing import Any

from flask import Flask, current_app

from app.config import THRESHOLD_PREFIX, ConfigurationError
from app.domain.errors import InvalidThresholds
from app.domain.thresholds import ThresholdProblem, Thresholds

_DEFAULTS = {item.name: item.default for item in fields(Thresholds)}


def init_app(app: Flask) -> None:
    # Parsed at start-up so a mistyped variable stops the app instead of a decision.
    try:
        thresholds = Thresholds.from_mapping(app.config["CANDOR_THRESHOLDS"])
    except InvalidThresholds as error:
        raise ConfigurationError(thresholds_refusal(error)) from error
    app.extensions["candor_thresholds"] = thresholds


def current_thresholds() -> Thresholds:
    return current_app.extensions["candor_thresholds"]


def thresholds_refusal(error: InvalidThresholds) -> str:
    """Every problem in one message, as the start-up log shows it."""
    return " ".join(problem_text(problem) for problem in error.problems) + " Refusing to start."


def variable(name: str) -> str:
    """The environment variable that sets a threshold: CANDOR_THRESHOLD_<NAME>."""
    return THRESHOLD_PREFIX + name.upper()


def problem_text(problem: ThresholdProblem) -> str:
    """One problem as a sentence for the operator, naming the variable and what it allows."""
    wording = WORDINGS.get(problem.code)
    return wording(problem.name or "", problem.params) if wording else str(problem)


def _setting(name: str, p: dict[str, Any]) -> str:
    return f"{variable(name)}={p['value']!r}"


def _default(name: str) -> str:
    value = _DEFAULTS[name]
    return f"{value:g}" if isinstance(value, float) else str(value)


def _bounds(p: dict[str, Any]) -> str:
    low, high = p["low"], p["high"]
    if p["low_open"] and p["high_open"]:
        return f"above {low} and below {high}"
    if p["low_open"]:
        return f"above {low} and at most {high}"
    if p["high_open"]:
        return f"at least {low} and below {high}"
    return f"from {low} to {high}"


WORDINGS: dict[str, Callable[[str, dict[str, Any]], str]] = {
    "unknown_threshold": lambda n, p: (
        f"{variable(p['given'])} is not a known threshold; the known ones are "
        + ", ".join(variable(known) for known in p["known"])
        + "."
    ),
    "boolean_given": lambda n, p: (
        f"{_setting(n, p)} is true/false, not a number (the default is {_default(n)})."
    ),
    "not_a_number": lambda n, p: (
        f"{_setting(n, p)} is not a number (the default is {_default(n)})."
    ),
    "not_finite": lambda n, p: (
        f"{_setting(n, p)} is not a finite number (the default is {_default(n)})."
    ),
    "not_whole": lambda n, p: (
        f"{_setting(n, p)} is not a whole number; write one such as {_default(n)}, the default."
    ),
    "below_minimum": lambda n, p: (
        f"{_setting(n, p)} is too low: it must be at least {p['minimum']}."
    ),
    "quorum_below_min_respondents": lambda n, p: (
        f"{_setting(n, p)} is below the minimum number of respondents, "
        f"{p['min_respondents']} ({variable('min_respondents')}): the quorum must be at least that."
    ),
    "out_of_range": lambda n, p: f"{_setting(n, p)} is out of range: it must be {_bounds(p)}.",
    "sure_weight_too_low": lambda n, p: (
        f"{_setting(n, p)} is too low: it must be above {p['minimum']}, "
        "so that a sure team gets less slack, not more."
    ),
    "gap_order": lambda n, p: (
        f"{variable('min_gap')}={p['min_gap']!r} and {variable('base_gap')}={p['base_gap']!r} "
        f"do not fit: they must satisfy 0 < min_gap <= base_gap <= {p['high']} (scale points)."
    ),
    "confidence_order": lambda n, p: (
        f"{variable('min_confidence')}={p['min_confidence']!r} and "
        f"{variable('base_confidence')}={p['base_confidence']!r} do not fit: they must satisfy "
        f"{p['low']} <= min_confidence <= base_confidence <= {p['high']} (per cent)."
    ),
    "negative_step": lambda n, p: (
        f"{_setting(n, p)} is negative: it must be 0 or more, so a harder project never "
        "loosens the check."
    ),
}
