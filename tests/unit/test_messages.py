"""Errors reach people through app/messages.py, worded by code, never by their English text."""

import pytest

from app import create_app
from app.domain.errors import ConfirmationRefused, DecisionRefused, ReviewNotClosable
from app.messages import SERVICE_WORDINGS, WORDINGS, error_text
from app.services.errors import EmailAlreadyUsed, InvalidInput, TooFewRespondents, WeakPassword


@pytest.fixture
def ctx(tmp_path):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/m.db"})
    with app.test_request_context():
        yield


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (DecisionRefused(field="rationale", code="rationale_missing"), "Write the rationale"),
        (ConfirmationRefused(code="confirmation_refused", category="muddy"), "cannot be"),
        (TooFewRespondents(2, 3), "Only 2 team members answered"),
        (EmailAlreadyUsed("a@b.example"), "a@b.example already exists"),
        (WeakPassword("x", code="password_too_short", minimum=12), "at least 12 characters"),
    ],
)
def test_errors_are_worded_from_their_code_and_parameters(ctx, error, expected):
    text = error_text(error)
    assert expected in text


def test_an_error_without_a_wording_falls_back_to_its_own_message(ctx):
    assert error_text(InvalidInput("Choose a deadline.", "deadline")) == "Choose a deadline."


def test_a_domain_error_carries_its_code_and_parameters():
    error = ReviewNotClosable(submitted=1, quorum=3, deadline=None)
    assert error.code == "review_not_closable" and error.params["quorum"] == 3


def test_every_wording_is_a_function_of_parameters_only(ctx):
    for code, word in {**WORDINGS, **SERVICE_WORDINGS}.items():
        assert isinstance(word({}, None), str) and word({}, None), code
