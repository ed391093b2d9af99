"""Review forms. The answer and decision forms are built at run time from the review's
catalogue version and verdicts (as indico builds survey forms from their questions)."""

from __future__ import annotations

import threading

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    SubmitField,
    TextAreaField,
    widgets,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from app.domain.catalogue import COMPLEXITY_SCALE, CONFIDENCE_RANGE, Catalogue
from app.domain.thresholds import DEFAULT_MIN_RESPONDENTS
from app.domain.verdict import Verdict
from app.labels import COMPLEXITY_WORDS, NumberedWord
from app.respond.forms import comment_field, optional_int, scale_field, within

CONFLICT_MAX = 5000
EVIDENCE_MAX = 2000
RATIONALE_MAX = 10000
QUORUM_MAX = 100


class CheckboxListField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class ReviewOpenForm(FlaskForm):
    client = SelectField(_l("Client"), coerce=int, validators=[InputRequired()])
    conflict = TextAreaField(
        _l("What happened, in neutral words"),
        validators=[DataRequired(), Length(max=CONFLICT_MAX)],
        description=_l(
            "Describe the facts, not a verdict: members choose categories on their own, so "
            "nobody anchors on your opinion. At most %(n)d characters.",
            n=CONFLICT_MAX,
        ),
    )
    participants = CheckboxListField(
        _l("Participants"),
        coerce=int,
        validators=[DataRequired(_l("Choose at least one participant."))],
        description=_l(
            "The people who worked on the account. With fewer than three, colleagues may "
            "recognise each other's answers in the results."
        ),
    )
    deadline = DateField(
        _l("Deadline"),
        validators=[InputRequired()],
        description=_l("After this day you may close the review even below the quorum."),
    )
    quorum = IntegerField(
        _l("Quorum"),
        # The lower bound is the deployment's min_respondents (validate_quorum below).
        validators=[InputRequired(), NumberRange(max=QUORUM_MAX)],
        description=_l("How many submitted answers are needed before the review can be closed."),
    )
    complexity_floor = SelectField(
        _l("Complexity of the project"),
        choices=[SelectChoice(str(level), COMPLEXITY_WORDS[level]) for level in COMPLEXITY_SCALE],
        coerce=optional_int,
        validate_choice=False,
        validators=[
            InputRequired(_l("Choose the project's complexity.")),
            within(
                COMPLEXITY_SCALE[0],
                COMPLEXITY_SCALE[-1],
                _l("Choose a complexity from 1 (very simple) to 5 (very complex)."),
            ),
        ],
        description=_l(
            "The check gets stricter the more complex the project: people are most "
            "overconfident on hard tasks. The level is fixed when the review opens, before "
            "anyone answers; members' own complexity ratings are shown beside it but never "
            "loosen it."
        ),
    )
    submit = SubmitField(_l("Open the review"))

    def __init__(self, *args, min_respondents: int = DEFAULT_MIN_RESPONDENTS, **kwargs):
        # The deployment's minimum comes from the view, so the form reads no settings.
        super().__init__(*args, **kwargs)
        self.min_respondents = min_respondents

    def validate_participants(self, field) -> None:
        if field.data and len(field.data) < self.min_respondents:
            raise ValidationError(
                _(
                    "Choose at least %(n)d participants: results are shown only from "
                    "%(n)d respondents on.",
                    n=self.min_respondents,
                )
            )

    def validate_quorum(self, field) -> None:
        if field.data is not None and field.data < self.min_respondents:
            raise ValidationError(
                _(
                    "The quorum must be at least %(n)d: results are shown only from "
                    "%(n)d respondents on.",
                    n=self.min_respondents,
                )
            )


class DeadlineForm(FlaskForm):
    deadline = DateField(_l("New deadline"), validators=[InputRequired()])
    submit = SubmitField(_l("Extend the deadline"))


class _ResponseBase(FlaskForm):
    complexity = RadioField(
        _l("How complex was this project?"),
        choices=[SelectChoice(str(k), NumberedWord(k, COMPLEXITY_WORDS)) for k in COMPLEXITY_SCALE],
        coerce=optional_int,
        validate_choice=False,
        validators=[Optional(), within(1, 5, _l("Choose a value from 1 to 5."))],
        description=_l(
            "The harder the project, the stricter Candor checks the team's self-rating."
        ),
    )
    consent_named = BooleanField(
        _l("Show my name beside my evidence after the review is closed"),
        description=_l(
            "Off by default: your answers then appear only in aggregate and without your name."
        ),
    )
    save = SubmitField(_l("Save draft"))
    submit = SubmitField(_l("Submit (locks your answer)"))


# Catalogue version and language (and the texts the fields carry, so a database that was
# reset and numbered its versions afresh never meets an old class) -> form class. Building
# the class (3 fields per question, 2 per category) cost more than the rest of a submit's
# request. Bounded: the oldest entries fall out first.
_RESPONSE_FORM_CLASSES: dict[tuple, type] = {}
_RESPONSE_FORM_CLASSES_MAX = 64
_RESPONSE_FORM_LOCK = threading.Lock()


def _form_key(catalogue: Catalogue) -> tuple:
    return (
        catalogue.version,
        catalogue.language,
        tuple((d.key, d.team_statement) for d in catalogue.dimensions),
        tuple((c.key, c.name) for c in catalogue.categories),
    )


def response_form(catalogue: Catalogue, **kwargs) -> FlaskForm:
    key = _form_key(catalogue)
    form_class = _RESPONSE_FORM_CLASSES.get(key)
    if form_class is None:
        form_class = _response_form_class(catalogue)
        with _RESPONSE_FORM_LOCK:
            if len(_RESPONSE_FORM_CLASSES) >= _RESPONSE_FORM_CLASSES_MAX:
                _RESPONSE_FORM_CLASSES.pop(next(iter(_RESPONSE_FORM_CLASSES)))
            _RESPONSE_FORM_CLASSES[key] = form_class
    return form_class(**kwargs)


def _response_form_class(catalogue: Catalogue) -> type:
    low, high = CONFIDENCE_RANGE
    attributes = {}
    for d in catalogue.dimensions:
        attributes[f"rating__{d.key}"] = scale_field(d.team_statement)
        attributes[f"confidence__{d.key}"] = IntegerField(
            _l("How sure are you? (%(low)d–%(high)d %%)", low=low, high=high),
            validators=[
                Optional(),
                NumberRange(
                    min=low, max=high, message=_l("Give a confidence between %(min)d and %(max)d.")
                ),
            ],
        )
        attributes[f"comment__{d.key}"] = comment_field()
    for c in catalogue.categories:
        attributes[f"choose__{c.key}"] = BooleanField(c.name)
        attributes[f"evidence__{c.key}"] = TextAreaField(
            _l("Your evidence"),
            validators=[
                Optional(),
                Length(max=EVIDENCE_MAX, message=_l("At most %(n)d characters.", n=EVIDENCE_MAX)),
            ],
        )
    return type("TeamResponseForm", (_ResponseBase,), attributes)


def response_form_data(row, catalogue: Catalogue) -> dict:
    """A saved draft as form data, so a member resumes where they stopped."""
    data = {"complexity": row.complexity, "consent_named": row.consent_named}
    for answer in row.answers:
        data[f"rating__{answer.dimension_key}"] = answer.rating
        data[f"confidence__{answer.dimension_key}"] = answer.confidence
        data[f"comment__{answer.dimension_key}"] = answer.comment
    for choice in row.choices:
        data[f"choose__{choice.category_key}"] = True
        data[f"evidence__{choice.category_key}"] = choice.evidence
    return data


class _DecideBase(FlaskForm):
    rationale = TextAreaField(
        _l("Rationale"),
        validators=[DataRequired(), Length(max=RATIONALE_MAX)],
        description=_l("Why you decide as you do, for the permanent archive."),
    )
    waiver_reason = TextAreaField(
        _l("Why decide without the client's view?"),
        validators=[Optional(), Length(max=RATIONALE_MAX)],
        description=_l(
            "Required when the client never answered, or skipped a question linked to a "
            "category you confirm; the decision is then marked one-sided."
        ),
    )
    clear_client = BooleanField(
        _l("If nothing is confirmed, mark the client as cleared (instead of active)"),
    )
    submit = SubmitField(_l("Record the decision"))


def decide_form(verdicts: tuple[Verdict, ...], catalogue: Catalogue, **kwargs) -> FlaskForm:
    attributes = {
        f"outcome__{v.category_key}": RadioField(
            catalogue.category(v.category_key).name,
            choices=[
                SelectChoice(
                    "confirmed",
                    str(_l("Confirm")),
                    render_kw={} if v.confirmable else {"disabled": True},
                ),
                SelectChoice("not_confirmed", str(_l("Do not confirm"))),
            ],
            default="not_confirmed",
        )
        for v in verdicts
    }
    return type("DecideForm", (_DecideBase,), attributes)(**kwargs)
