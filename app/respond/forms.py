"""The client's answer form, built at run time from the review's catalogue version.

The lead's "record the client's view" form reuses the same rating fields, so the client
and the lead answer exactly the same questions.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from app.domain.catalogue import SCALE, SCALE_LABELS, Catalogue

COMMENT_MAX = 2000
QUOTE_MAX = 5000


def optional_int(value):
    """Form values arrive as text; an empty choice means "not answered"."""
    if value in (None, "", "None"):
        return None
    return int(value)


def within(low: int, high: int, message):
    def check(form, field):
        if field.data is not None and not low <= field.data <= high:
            raise ValidationError(str(message))

    return check


def scale_field(label, required: bool = False) -> RadioField:
    return RadioField(
        label,
        choices=[SelectChoice(str(v), f"{v} – {SCALE_LABELS[v]}") for v in SCALE],
        coerce=optional_int,
        validate_choice=False,
        validators=[
            DataRequired() if required else Optional(),
            within(SCALE[0], SCALE[-1], _l("Choose a value from 1 to 5.")),
        ],
    )


OPTIONAL_COMMENT = _l("Comment (optional)")


def comment_field(label=OPTIONAL_COMMENT) -> TextAreaField:
    return TextAreaField(
        label,
        validators=[
            Optional(),
            Length(max=COMMENT_MAX, message=_l("At most %(n)d characters.", n=COMMENT_MAX)),
        ],
    )


def add_client_rating_fields(form_class: type, catalogue: Catalogue) -> None:
    for dimension in catalogue.dimensions:
        setattr(form_class, f"rating__{dimension.key}", scale_field(dimension.client_statement))
        setattr(form_class, f"comment__{dimension.key}", comment_field())


def client_ratings(form, catalogue: Catalogue) -> tuple[dict[str, int], dict[str, str]]:
    ratings, comments = {}, {}
    for dimension in catalogue.dimensions:
        rating = form[f"rating__{dimension.key}"].data
        if rating is not None:
            ratings[dimension.key] = rating
        comment = form[f"comment__{dimension.key}"].data or ""
        if comment.strip():
            comments[dimension.key] = comment
    return ratings, comments


class _ClientViewBase(FlaskForm):
    comment = comment_field(_l("Anything else you want the agency to know (optional)"))
    submit = SubmitField(_l("Send my answers"))


def client_view_form(catalogue: Catalogue, **kwargs) -> FlaskForm:
    form_class = type("ClientViewForm", (_ClientViewBase,), {})
    add_client_rating_fields(form_class, catalogue)
    return form_class(**kwargs)


class _RecordedViewBase(FlaskForm):
    source_quote = TextAreaField(
        _l("The client's own words, and where they come from"),
        validators=[DataRequired(), Length(max=QUOTE_MAX)],
        description=_l(
            "Quote the client's messages you base these ratings on, with date and channel "
            "(e.g. “E-mail of 3 March: …”). The view is marked as recorded by the lead."
        ),
    )
    submit = SubmitField(_l("Record the client's view"))


def recorded_view_form(catalogue: Catalogue, **kwargs) -> FlaskForm:
    form_class = type("ClientViewRecordForm", (_RecordedViewBase,), {})
    add_client_rating_fields(form_class, catalogue)
    return form_class(**kwargs)
