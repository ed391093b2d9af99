"""The archive's filter form: a GET form (no CSRF: it changes nothing)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectChoice, SelectField, StringField
from wtforms.validators import Length, Optional, ValidationError

from app.services.archive import FilterChoices
from app.services.archive_query import EARLIEST_DAY, LATEST_DAY, ArchiveFilters, day_in_range

Q_MAX = 200


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value and value.isascii() and value.isdigit() else None


class ArchiveFilterForm(FlaskForm):
    q = StringField(
        _l("Search"),
        validators=[Optional(), Length(max=Q_MAX)],
        description=_l("Words in the client's name, the conflict or the rationale."),
    )
    client = SelectField(_l("Client"), choices=[], default="")
    category = SelectField(_l("Category"), choices=[], default="")
    outcome = SelectField(
        _l("Outcome"),
        choices=[
            SelectChoice("", _l("Any outcome")),
            SelectChoice("confirmed", _l("Confirmed")),
            SelectChoice("not_confirmed", _l("Not confirmed")),
            SelectChoice("one_sided", _l("One-sided")),
        ],
        default="",
    )
    lead = SelectField(_l("Decided by"), choices=[], default="")
    date_from = DateField(_l("Decided from"), validators=[Optional()])
    date_to = DateField(_l("Decided until"), validators=[Optional()])
    # The min and max of the date inputs (ISO days), so a browser offers only these.
    date_bounds = (EARLIEST_DAY.isoformat(), LATEST_DAY.isoformat())

    def __init__(self, formdata, choices: FilterChoices) -> None:
        super().__init__(formdata=formdata, meta={"csrf": False})
        self.client.choices = [SelectChoice("", _l("All clients"))] + [
            SelectChoice(str(i), n) for i, n in choices.clients
        ]
        self.category.choices = [SelectChoice("", _l("All categories"))] + [
            SelectChoice(key, name) for key, name in choices.categories
        ]
        self.lead.choices = [SelectChoice("", _l("Anyone"))] + [
            SelectChoice(str(i), n) for i, n in choices.leads
        ]

    def validate_q(self, field) -> None:
        if field.data and any(ord(c) < 32 and c not in "\t\n\r" for c in field.data):
            raise ValidationError(_l("The search cannot contain control characters."))

    @staticmethod
    def _check_range(field) -> None:
        # 9999-12-31 parses, but the day after it does not exist; year 1 is no archive day.
        if field.data and not day_in_range(field.data):
            raise ValidationError(
                _l(
                    "Choose a day between %(first)s and %(last)s.",
                    first=EARLIEST_DAY.isoformat(),
                    last=LATEST_DAY.isoformat(),
                )
            )

    def validate_date_from(self, field) -> None:
        self._check_range(field)

    def validate_date_to(self, field) -> None:
        self._check_range(field)
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("The end date is before the start date."))

    def filters(self) -> ArchiveFilters:
        """The validated filters (call after validate())."""
        return ArchiveFilters(
            q=(self.q.data or "").strip(),
            client_id=_int_or_none(self.client.data),
            category_key=self.category.data or None,
            outcome=self.outcome.data or None,
            lead_id=_int_or_none(self.lead.data),
            date_from=self.date_from.data,
            date_to=self.date_to.data,
        )
