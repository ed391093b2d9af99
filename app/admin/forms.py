from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length

from app.services.passwords import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH
from app.text_input import VisibleText, clean_text

ROLE_CHOICES = [
    SelectChoice("member", _l("Member")),
    SelectChoice("lead", _l("Lead")),
    SelectChoice("admin", _l("Admin")),
]


class UserCreateForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    name = StringField(
        _l("Name"),
        filters=[clean_text],
        validators=[DataRequired(), Length(max=120), VisibleText()],
    )
    role = SelectField(
        _l("Role"),
        choices=ROLE_CHOICES,
        default="member",
        description=_l(
            "Members answer reviews; leads also open and decide them; admins also manage users."
        ),
    )
    password = PasswordField(
        _l("First password"),
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=MAX_PASSWORD_LENGTH)],
        description=_l("Give it to the person privately; they can change it after logging in."),
    )
    submit = SubmitField(_l("Create user"))


class UserRoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=ROLE_CHOICES)
    submit = SubmitField(_l("Change role"))


CATALOGUE_MAX = 200_000


class CataloguePublishForm(FlaskForm):
    document = TextAreaField(
        _l("Catalogue (JSON)"),
        validators=[DataRequired(), Length(max=CATALOGUE_MAX)],
        description=_l(
            "Edit the categories and questions, then publish. Publishing creates a new version: "
            "reviews already opened keep the version they started with."
        ),
    )
    submit = SubmitField(_l("Publish as a new version"))
