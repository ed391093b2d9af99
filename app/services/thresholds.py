"""The deployment's thresholds: domain defaults overridden by CANDOR_THRESHOLD_* variables."""

from __future__ import annotations

from flask import Flask, current_app

from app.domain.thresholds import Thresholds


def init_app(app: Flask) -> None:
    # Parsed at start-up so a mistyped variable stops the app instead of a decision.
    app.extensions["candor_thresholds"] = Thresholds.from_mapping(app.config["CANDOR_THRESHOLDS"])


def current_thresholds() -> Thresholds:
    return current_app.extensions["candor_thresholds"]
