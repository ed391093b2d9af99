"""Review forms. The answer and decision forms are built at run time from the review's
catalogue version and verdicts (as indico builds survey forms from their questions)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
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

from app.domain.catalogue import COMPLEXITY_SCALE, Catalogue
from app.domain.thresholds import DEFAULT_MIN_RESPONDENTS
from app.domain.verdict import Verdict
from app.labels import COMPLEXITY_WORDS
from app.respond.forms import optional_int, within
from app.services.review_changes import CANCEL_REASON_MAX

CONFLICT_MAX = 5000
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
            "recognise each other's answers in the results. The fewer they are, the more alike "
            "their ratings must be to count as agreement: a small team can agree by luck."
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


class CloseForm(FlaskForm):
    """Closing is irreversible: the lead ticks that they understand what follows."""

    confirm = BooleanField(
        _l("I understand: closing freezes every answer, and drafts never submitted do not count."),
        validators=[DataRequired(_l("Tick the box to confirm that you want to close the review."))],
    )
    submit = SubmitField(_l("Close the review"))


class ReviewCancelForm(FlaskForm):
    reason = TextAreaField(
        _l("Why is the review cancelled?"),
        validators=[DataRequired(), Length(max=CANCEL_REASON_MAX)],
        render_kw={"maxlength": CANCEL_REASON_MAX},
        description=_l(
            "Kept in the audit log. The answers given so far are kept and never shown; the "
            "client gets back the status it had before the review was opened."
        ),
    )
    submit = SubmitField(_l("Cancel the review"))


class ReviewChangeForm(FlaskForm):
    participants = CheckboxListField(
        _l("Participants"),
        coerce=int,
        validators=[DataRequired(_l("Choose at least one participant."))],
        description=_l("Members who already submitted an answer cannot be removed."),
    )
    quorum = IntegerField(
        _l("Quorum"), validators=[InputRequired(), NumberRange(min=1, max=QUORUM_MAX)]
    )
    deadline = DateField(_l("Deadline"), validators=[InputRequired()])
    submit = SubmitField(_l("Save the changes"))


class DeadlineForm(FlaskForm):
    deadline = DateField(_l("New deadline"), validators=[InputRequired()])
    submit = SubmitField(_l("Extend the deadline"))


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
    # The confirmation step: the first submit shows what follows (the client's status);
    # only "confirm" there, carrying the shown values, records the decision.
    confirmed = HiddenField()
    # What the verdicts on the page were drawn from, carried through the confirmation:
    # the decision is refused if the answer rows changed since (services/decisions.py).
    seen_rows = HiddenField(validators=[Optional(), Length(max=128)])
    confirm = SubmitField(_l("Confirm and record the decision"))
    change = SubmitField(_l("Change the decision"))


def decide_form(verdicts: tuple[Verdict, ...], catalogue: Catalogue, **kwargs) -> FlaskForm:
    attributes = {
        f"outcome__{v.category_key}": RadioField(
            catalogue.category(v.category_key).name,
            choices=[
                SelectChoice(
                    "confirmed",
                    str(_l("Confirm")),
                    render_kw={}
                    if v.confirmable or v.confirmable_with_reason
                    else {"disabled": True},
                ),
                SelectChoice("not_confirmed", str(_l("Do not confirm"))),
            ],
            default="not_confirmed",
        )
        for v in verdicts
    }
    return type("DecideForm", (_DecideBase,), attributes)(**kwargs)


class ClientLinkIssueForm(FlaskForm):
    """Create a client link: e-mail it, or only show it for the lead to copy."""

    email = SubmitField(_l("Create a link and e-mail it"))
    copy = SubmitField(_l("Create a client link"))


class ClientLinkEmailForm(FlaskForm):
    """E-mail an active link again; the token comes back from the page that showed it
    (Candor keeps only its hash)."""

    token = HiddenField(validators=[DataRequired(), Length(max=100)])
    submit = SubmitField(_l("E-mail the link"))
