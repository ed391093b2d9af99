"""Forms of the incident log and the message drafts. Syntax only; the rules live in
app/domain/incidents.py and are checked again by the service."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectChoice, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from app.domain.incidents import (
    AMOUNT_MAX_MINOR,
    CURRENCY_MAX,
    INVOICE_MAX,
    RECORDABLE_KINDS,
    TEXT_MAX,
)

DRAFT_MAX = 10000
_AMOUNT = re.compile(r"^\d{1,13}([.,]\d{1,2})?$")

KIND_LABELS = {
    "unanswered_question": _l("Unanswered question past its deadline"),
    "late_payment": _l("Late or missed payment"),
    "approval_delay": _l("Approval delay or rework demand"),
    "out_of_scope": _l("Request outside the agreed scope"),
    "out_of_hours": _l("Contact outside agreed hours"),
    "contradictory_instructions": _l("Contradictory instructions from different people"),
    "other": _l("Other"),
    "message_sent": _l("Message sent to the client"),
}


def amount_to_minor(text: str | None) -> int | None:
    """ "1234.5" or "1234,50" -> 123450; None when blank; ValueError when not an amount."""
    text = (text or "").strip().replace(" ", "")
    if not text:
        return None
    if not _AMOUNT.match(text):
        raise ValueError(text)
    try:
        return int(Decimal(text.replace(",", ".")) * 100)
    except InvalidOperation as error:
        raise ValueError(text) from error


class IncidentForm(FlaskForm):
    kind = SelectField(
        _l("Kind"),
        choices=[SelectChoice(k, KIND_LABELS[k]) for k in RECORDABLE_KINDS],
        validators=[InputRequired()],
    )
    occurred_on = DateField(
        _l("When it happened"),
        validators=[InputRequired(_l("Give the day it happened, as a date."))],
    )
    text = TextAreaField(
        _l("What happened"),
        validators=[DataRequired(), Length(max=TEXT_MAX)],
        description=_l(
            "Facts, dates and who was involved, in neutral words. At most %(n)d characters.",
            n=TEXT_MAX,
        ),
    )
    category_key = SelectField(_l("Category it may point to (optional)"), validators=[Optional()])
    amount = StringField(
        _l("Amount (for payments)"),
        description=_l("For example 1250.00. Needed for a late or missed payment."),
    )
    currency = StringField(_l("Currency"), validators=[Optional(), Length(max=CURRENCY_MAX)])
    invoice_ref = StringField(
        _l("Invoice reference"), validators=[Optional(), Length(max=INVOICE_MAX)]
    )
    submit = SubmitField(_l("Record the entry"))

    def validate_amount(self, field) -> None:
        try:
            minor = amount_to_minor(field.data)
        except ValueError:
            raise ValidationError(
                _l("Give the amount as a number with at most two decimals, e.g. 1250.00.")
            ) from None
        if minor is not None and not 0 < minor <= AMOUNT_MAX_MINOR:
            raise ValidationError(_l("The amount must be above 0 and at most 10 billion."))
        if minor is None and self.kind.data == "late_payment":
            raise ValidationError(_l("Give the amount of the late or missed payment."))


class DraftForm(FlaskForm):
    text = TextAreaField(_l("Message"), validators=[DataRequired(), Length(max=DRAFT_MAX)])
    mark_sent = SubmitField(_l("I sent it: log it"))
    send = SubmitField(_l("Send by e-mail and log it"))
