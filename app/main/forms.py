from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SubmitField
from wtforms.fields.choices import SelectChoice

from app.i18n import LANGUAGE_NAMES, SUPPORTED_LANGUAGES

# The empty choice hands the decision back to the browser's Accept-Language.
BROWSER_CHOICE = ""


class LanguageForm(FlaskForm):
    language = RadioField(
        _l("Language"),
        choices=[SelectChoice(BROWSER_CHOICE, _l("As my browser prefers"))]
        + [SelectChoice(code, LANGUAGE_NAMES[code]) for code in SUPPORTED_LANGUAGES],
        default=BROWSER_CHOICE,
        description=_l(
            "Pages, charts and e-mails to you use this language. Clients see their own "
            "language, set on the client's page."
        ),
    )
    submit = SubmitField(_l("Save"))
