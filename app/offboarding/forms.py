"""Forms of the offboarding kit. Syntax only; the gating lives in app/domain/offboarding.py."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from app.domain.offboarding import (
    NAME_MAX,
    OVERRIDE_MAX,
    PLATFORM_MAX,
    REASON_MAX,
    REPORT_MAX,
)

FINAL_STATUS_LABELS = {
    "ended_on_good_terms": _l("Ended on good terms"),
    "ended": _l("Ended"),
    "ended_unpaid": _l("Ended with payments outstanding"),
}


class AccountForm(FlaskForm):
    name = StringField(_l("Account"), validators=[DataRequired(), Length(max=NAME_MAX)])
    platform = StringField(
        _l("Platform"),
        validators=[DataRequired(), Length(max=PLATFORM_MAX)],
        description=_l("For example Facebook, Google Ads, the website's hosting."),
    )
    submit = SubmitField(_l("Add the account"))


class PaymentsForm(FlaskForm):
    current = RadioField(
        _l("Are the client's payments current?"),
        choices=[
            SelectChoice("yes", _l("Yes, everything is paid")),
            SelectChoice("no", _l("No, payments are due")),
        ],
        validators=[InputRequired(_l("Choose yes or no."))],
    )
    override = TextAreaField(
        _l("Reason to hand the accounts over anyway (optional)"),
        validators=[Optional(), Length(max=OVERRIDE_MAX)],
        description=_l("Only when payments are not current: why the client gets access now."),
    )
    submit = SubmitField(_l("Record"))


class ReportForm(FlaskForm):
    work_done = TextAreaField(
        _l("Work done and results"),
        validators=[Optional(), Length(max=REPORT_MAX)],
        description=_l("What the team delivered and achieved; the draft report quotes it."),
    )
    report = TextAreaField(_l("Closing report"), validators=[Optional(), Length(max=REPORT_MAX)])
    submit = SubmitField(_l("Save the report"))
    regenerate = SubmitField(_l("Save the work done and redraft the report"))


class ReasonForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason statement"),
        validators=[DataRequired(), Length(max=REASON_MAX)],
        description=_l("Plainly: “we cannot meet your needs because you did not …”."),
    )
    submit = SubmitField(_l("Save the reason"))


class StatusForm(FlaskForm):
    final_status = SelectField(
        _l("Final status"),
        choices=[SelectChoice(k, label) for k, label in FINAL_STATUS_LABELS.items()],
        validators=[InputRequired()],
    )
    submit = SubmitField(_l("Set the final status"))
