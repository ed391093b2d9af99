from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional

from app.i18n import LANGUAGE_NAMES, SUPPORTED_LANGUAGES, current_language
from app.text_input import VisibleText, clean_text

NOTES_MAX = 5000


class ClientEditForm(FlaskForm):
    name = StringField(
        _l("Client name"),
        filters=[clean_text],
        validators=[DataRequired(), Length(max=200), VisibleText()],
    )
    contact_name = StringField(
        _l("Contact person"),
        filters=[clean_text],
        validators=[Optional(), Length(max=200), VisibleText()],
    )
    contact_email = EmailField(
        _l("Contact e-mail"),
        validators=[Optional(), Email(), Length(max=254)],
        description=_l("Used to send the client its private review link."),
    )
    language = SelectField(
        _l("Client's language"),
        choices=[SelectChoice(code, LANGUAGE_NAMES[code]) for code in SUPPORTED_LANGUAGES],
        # A new client starts in the lead's own language; a form sent without the field
        # (an old page, a script) keeps the client's language or that default.
        default=current_language,
        description=_l(
            "The client's answer page and the e-mail with its link are in this language; "
            "the client can switch on the page."
        ),
    )
    notes = TextAreaField(
        _l("Notes"),
        validators=[Optional(), Length(max=NOTES_MAX)],
        description=_l("Facts about the account, at most %(n)d characters.", n=NOTES_MAX),
    )
    submit = SubmitField(_l("Save client"))
