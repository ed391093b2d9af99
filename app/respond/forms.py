"""The client's answer form, built at run time from the review's catalogue version.

The lead's "record the client's view" form reuses the same rating fields, so the client
and the lead answer exactly the same questions. Each statement offers an explicit way out
("I can't judge this", or "Not stated" for the lead): skipping is a choice a screen-reader
user hears and anyone can go back to, since a chosen radio button cannot be unticked.
A skipped (or untouched) statement is not answered and gets no row.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectChoice, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from app.domain.catalogue import SCALE, Catalogue
from app.labels import SCALE_WORDS, NumberedWord

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
        choices=[SelectChoice(str(v), NumberedWord(v, SCALE_WORDS)) for v in SCALE],
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


SKIP = "skip"

# The client's page speaks the client's language: the scale's words go through gettext.
CLIENT_SCALE_WORDS = {
    1: _l("Strongly disagree"),
    2: _l("Disagree"),
    3: _l("Neither agree nor disagree"),
    4: _l("Agree"),
    5: _l("Strongly agree"),
}
CANT_JUDGE = _l("I can't judge this")
NOT_STATED = _l("Not stated")


def rating_or_skip(value):
    """A rating as a number, SKIP for the explicit way out, None when untouched.

    Anything else that is not a whole number raises ValueError, which WTForms reports on
    the field."""
    if value in (None, "", "None"):
        return None
    if value == SKIP:
        return SKIP
    return int(value)


def _in_scale(form, field):
    if field.data not in (None, SKIP) and field.data not in SCALE:
        raise ValidationError(_("Choose a value from 1 to 5."))


def client_scale_field(label, skip_label) -> RadioField:
    return RadioField(
        label,
        choices=[
            *(
                SelectChoice(
                    str(v), _l("%(value)d – %(word)s", value=v, word=CLIENT_SCALE_WORDS[v])
                )
                for v in SCALE
            ),
            SelectChoice(SKIP, skip_label),
        ],
        coerce=rating_or_skip,
        validate_choice=False,
        validators=[Optional(), _in_scale],
    )


def add_client_rating_fields(form_class: type, catalogue: Catalogue, skip_label) -> None:
    for dimension in catalogue.dimensions:
        setattr(
            form_class,
            f"rating__{dimension.key}",
            client_scale_field(dimension.client_statement, skip_label),
        )
        setattr(form_class, f"comment__{dimension.key}", comment_field())


def is_answered(value) -> bool:
    return value not in (None, SKIP)


def client_ratings(form, catalogue: Catalogue) -> tuple[dict[str, int], dict[str, str]]:
    """Only answered statements, in catalogue order; skipped ones are simply absent."""
    ratings, comments = {}, {}
    for dimension in catalogue.dimensions:
        rating = form[f"rating__{dimension.key}"].data
        if is_answered(rating):
            ratings[dimension.key] = rating
        comment = form[f"comment__{dimension.key}"].data or ""
        if comment.strip():
            comments[dimension.key] = comment
    return ratings, comments


def check_answers(form, catalogue: Catalogue) -> list[str]:
    """What the fields cannot see on their own: at least one answer, and no comment left
    on a skipped statement (it could not be stored, and would be lost without a word).
    Marks the fields and returns the page-level messages; empty when all is well."""
    ratings, comments = client_ratings(form, catalogue)
    if "comment" in form:  # the client's page has a last, general box
        orphan = _(
            "A comment is kept only with an answer. Choose an answer for this "
            "statement, or move your comment to the last box."
        )
    else:
        orphan = _(
            "A comment is kept only with an answer. Choose an answer for this "
            "statement, or clear the comment."
        )
    for key in comments.keys() - ratings.keys():
        form[f"comment__{key}"].errors.append(orphan)
    problems = []
    if not ratings:
        problems.append(_("Please answer at least one question."))
    return problems


class _ClientViewBase(FlaskForm):
    comment = comment_field(_l("Anything else you want the agency to know (optional)"))
    # The review step: the first submit always shows the answers back with a count; only
    # "send" on that page, with the fingerprint of what was shown, spends the link.
    checked = HiddenField()
    check = SubmitField(_l("Check my answers"))
    send = SubmitField(_l("Send my answers"))
    change = SubmitField(_l("Change my answers"))


def client_view_form(catalogue: Catalogue, **kwargs) -> FlaskForm:
    form_class = type("ClientViewForm", (_ClientViewBase,), {})
    add_client_rating_fields(form_class, catalogue, CANT_JUDGE)
    return form_class(**kwargs)


class _RecordedViewBase(FlaskForm):
    source_quote = TextAreaField(
        _l("The client's own words, and where they come from"),
        validators=[
            DataRequired(),
            Length(max=QUOTE_MAX, message=_l("At most %(n)d characters.", n=QUOTE_MAX)),
        ],
        description=_l(
            "Quote the client's messages you base these ratings on, with date and channel "
            "(e.g. “E-mail of 3 March: …”). The view is marked as recorded by the lead."
        ),
    )
    submit = SubmitField(_l("Record the client's view"))


def recorded_view_form(catalogue: Catalogue, **kwargs) -> FlaskForm:
    form_class = type("ClientViewRecordForm", (_RecordedViewBase,), {})
    add_client_rating_fields(form_class, catalogue, NOT_STATED)
    return form_class(**kwargs)
