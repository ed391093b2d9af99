from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional

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
    notes = TextAreaField(
        _l("Notes"),
        validators=[Optional(), Length(max=NOTES_MAX)],
        description=_l("Facts about the account, at most %(n)d characters.", n=NOTES_MAX),
    )
    submit = SubmitField(_l("Save client"))
