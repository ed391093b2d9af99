from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length

from app.services.passwords import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(
        _l("Password"), validators=[DataRequired(), Length(max=MAX_PASSWORD_LENGTH)]
    )
    next = HiddenField()
    submit = SubmitField(_l("Log in"))


class PasswordChangeForm(FlaskForm):
    current = PasswordField(
        _l("Current password"), validators=[DataRequired(), Length(max=MAX_PASSWORD_LENGTH)]
    )
    new = PasswordField(
        _l("New password"),
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=MAX_PASSWORD_LENGTH)],
        description=_l(
            "At least %(n)d characters. Other devices will be logged out.", n=MIN_PASSWORD_LENGTH
        ),
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("new", message=_l("The two passwords differ."))],
    )
    submit = SubmitField(_l("Change password"))


class LogoutForm(FlaskForm):
    """CSRF-only form: logging out is a POST so a third-party page cannot do it."""

    submit = SubmitField(_l("Log out"))
