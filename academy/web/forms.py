"""Forms shared across blueprints (Flask-WTF: every POST carries a CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    widgets,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from academy.vocabulary import ROLES


class ActionForm(FlaskForm):
    """A button that changes something: carries only the CSRF token."""


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])


class PasswordChangeForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired()])
    password = PasswordField(
        _l("New password"), validators=[DataRequired(), Length(min=8, max=200)]
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )


def role_choices() -> list[SelectChoice]:
    labels = {
        "employee": _l("Employee"),
        "trainer": _l("Trainer"),
        "hr": _l("HR officer"),
        "admin": _l("Administrator"),
    }
    return [SelectChoice(role, str(labels[role])) for role in ROLES]


class MultiCheckboxField(SelectMultipleField):
    """Several choices as a list of checkboxes (usable on a phone, unlike a multi-select)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class UserForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=64)])
    display_name = StringField(_l("Display name"), validators=[DataRequired(), Length(max=120)])
    role = SelectField(_l("Role"), choices=[])
    department = SelectField(_l("Department"), choices=[], validate_choice=True)
    employee_no = StringField(_l("Employee number"), validators=[Optional(), Length(max=32)])
    email = EmailField(_l("Email"), validators=[Optional(), Length(max=255)])
    coached = MultiCheckboxField(
        _l("Departments this trainer coaches"), coerce=int, validate_choice=False
    )
    active = BooleanField(_l("Active (may log in)"), default=True)
    password = PasswordField(
        _l("Password"),
        validators=[Optional(), Length(min=8, max=200)],
        description=_l("At least 8 characters. Leave empty to keep the current password."),
    )


class DepartmentForm(FlaskForm):
    name = StringField(_l("Department name"), validators=[DataRequired(), Length(max=120)])


class LanguageForm(FlaskForm):
    lang = SelectField(
        _l("Language"), choices=[SelectChoice("zh_Hans", "简体中文"), SelectChoice("en", "English")]
    )
