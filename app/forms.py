"""Forms shared by several areas."""

from flask_wtf import FlaskForm
from wtforms import SubmitField


class ActionForm(FlaskForm):
    """CSRF-only form for buttons that change state (close, revoke, archive, …)."""

    submit = SubmitField()
