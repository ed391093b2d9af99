"""The member's blind answer form, built at run time from the review's catalogue version.

Confidence is a choice of steps (50, 60 … 100 %), each with a meaning, not a free number
box. A category's tick box and its evidence share one fieldset; evidence under an unticked
category is refused with a message on the evidence box, never silently dropped. Text
limits are also given to the browser (maxlength) so a request never outgrows the
server's size limit and the member never loses typed text to a 413 page.
"""

from __future__ import annotations

import threading

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectChoice, SubmitField, TextAreaField
from wtforms.validators import Length, Optional

from app.domain.catalogue import COMPLEXITY_SCALE, CONFIDENCE_RANGE, Catalogue
from app.domain.decision_rules import Gap
from app.labels import COMPLEXITY_WORDS, NumberedWord
from app.respond.forms import COMMENT_MAX, comment_field, optional_int, scale_field, within

EVIDENCE_MAX = 2000
CONFIDENCE_STEPS = tuple(range(CONFIDENCE_RANGE[0], CONFIDENCE_RANGE[1] + 1, 10))
CONFIDENCE_WORDS = {
    50: _l("a guess"),
    60: _l("slightly sure"),
    70: _l("fairly sure"),
    80: _l("quite sure"),
    90: _l("very sure"),
    100: _l("certain"),
}
TEXT_LIMITS = {"comment": COMMENT_MAX, "evidence": EVIDENCE_MAX}


class _ResponseBase(FlaskForm):
    complexity = RadioField(
        _l("How complex was this project?"),
        choices=[SelectChoice(str(k), NumberedWord(k, COMPLEXITY_WORDS)) for k in COMPLEXITY_SCALE],
        coerce=optional_int,
        validate_choice=False,
        validators=[
            Optional(),
            within(COMPLEXITY_SCALE[0], COMPLEXITY_SCALE[-1], _l("Choose a value from 1 to 5.")),
        ],
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
    confirm_submit = BooleanField(
        _l("I have checked my answer. Submitting locks it: I cannot change it afterwards."),
    )
    save = SubmitField(_l("Save draft"))
    submit = SubmitField(_l("Submit (locks your answer)"))

    category_keys: tuple[str, ...] = ()

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for key in self.category_keys:
            evidence = self[f"evidence__{key}"]
            if (evidence.data or "").strip() and not self[f"choose__{key}"].data:
                evidence.errors.append(
                    _(
                        "You wrote evidence but did not tick this category. Tick it, or "
                        "clear the evidence."
                    )
                )
                valid = False
        return valid


def confidence_field() -> RadioField:
    low, high = CONFIDENCE_RANGE
    return RadioField(
        _l("How sure are you of this rating?"),
        choices=[
            SelectChoice(str(step), _l("%(n)d %% – %(word)s", n=step, word=CONFIDENCE_WORDS[step]))
            for step in CONFIDENCE_STEPS
        ],
        coerce=optional_int,
        validate_choice=False,
        validators=[
            Optional(),
            within(
                low, high, _l("Give a confidence between %(min)d and %(max)d.", min=low, max=high)
            ),
        ],
    )


# Catalogue version and language (and the texts the fields carry, so a database that was
# reset and numbered its versions afresh never meets an old class) -> form class. Building
# the class (3 fields per question, 2 per category) cost more than the rest of a submit's
# request (issue 16). Bounded: the oldest entries fall out first.
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
    form = form_class(**kwargs)
    for d in catalogue.dimensions:
        _keep_off_step_confidence(form[f"confidence__{d.key}"])
    return form


def _response_form_class(catalogue: Catalogue) -> type:
    attributes: dict = {"category_keys": catalogue.category_keys}
    for d in catalogue.dimensions:
        attributes[f"rating__{d.key}"] = scale_field(d.team_statement)
        attributes[f"confidence__{d.key}"] = confidence_field()
        attributes[f"comment__{d.key}"] = comment_field()
    for c in catalogue.categories:
        attributes[f"choose__{c.key}"] = BooleanField(
            _l("“%(name)s” fits this client", name=c.name)
        )
        attributes[f"evidence__{c.key}"] = TextAreaField(
            _l("Your evidence"),
            validators=[
                Optional(),
                Length(max=EVIDENCE_MAX, message=_l("At most %(n)d characters.", n=EVIDENCE_MAX)),
            ],
            description=_l("Typing evidence ticks the category."),
        )
    return type("TeamResponseForm", (_ResponseBase,), attributes)


def _keep_off_step_confidence(field) -> None:
    """A draft saved when confidence was a number box may hold 55 or 85: offer that value
    as its own choice, so it is shown checked and not lost on the next save."""
    value = field.data
    if isinstance(value, int) and value not in CONFIDENCE_STEPS:
        low, high = CONFIDENCE_RANGE
        if low <= value <= high:
            field.choices = sorted(
                [*field.choices, SelectChoice(str(value), f"{value} %")],
                key=lambda choice: int(choice.value),
            )


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


GAP_FIELDS = {
    "rating": "rating__{}",
    "confidence": "confidence__{}",
    "evidence": "evidence__{}",
    "complexity": "complexity",
}


def gap_field(gap: Gap) -> str:
    return GAP_FIELDS[gap.code].format(gap.subject)


def anchor_of(field) -> str:
    """The id a "missing" link jumps to: a radio group's first button, else the field."""
    return f"{field.id}-0" if field.type == "RadioField" else field.id


def rejected_fields(form) -> set[str]:
    """The answer fields whose value the form refused (out of range, too long, evidence
    under an unticked category): a draft is saved without them, and they are reported."""
    return {name for name, field in form._fields.items() if field.errors and name != "csrf_token"}


def answered_count(form, catalogue: Catalogue) -> int:
    """Statements with both a rating and a confidence: the progress shown to the member."""
    return sum(
        1
        for d in catalogue.dimensions
        if form[f"rating__{d.key}"].data is not None
        and form[f"confidence__{d.key}"].data is not None
    )


def answer_labels(catalogue: Catalogue) -> dict[str, str]:
    """Each answer field's name in a problem list: the question or category it belongs to."""
    labels = {"complexity": _("Complexity of the project")}
    for d in catalogue.dimensions:
        labels[f"rating__{d.key}"] = _("Rating for “%(q)s”", q=d.title)
        labels[f"confidence__{d.key}"] = _("Confidence for “%(q)s”", q=d.title)
        labels[f"comment__{d.key}"] = _("Comment on “%(q)s”", q=d.title)
    for c in catalogue.categories:
        labels[f"evidence__{c.key}"] = _("Evidence for “%(name)s”", name=c.name)
    return labels


def page_order(catalogue: Catalogue) -> list[str]:
    """The answer form's fields in the order the page shows them (for the problem list)."""
    names = [
        f"{kind}__{d.key}"
        for d in catalogue.dimensions
        for kind in ("rating", "confidence", "comment")
    ]
    names.append("complexity")
    names += [f"{kind}__{c.key}" for c in catalogue.categories for kind in ("choose", "evidence")]
    return [*names, "consent_named", "confirm_submit"]
