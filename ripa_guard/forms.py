"""WTForms classes: sign-in, accounts, and the pages built from the definitions in forms/."""

from __future__ import annotations

import re

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovPasswordInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import EqualTo, InputRequired, Length, Optional, Regexp, ValidationError

from .definitions import Page, Question
from .models import ROLE_TITLES, Role
from .offences import Offence

# Control characters other than tab and newline have no place in a record that will be printed.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value):
    if value is None:
        return value
    return _CONTROL.sub("", value.replace("\r\n", "\n")).strip()


class SignInForm(FlaskForm):
    email = StringField(
        "Email address",
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[InputRequired("Enter your email address"), Length(max=254)],
    )
    password = PasswordField(
        "Password",
        widget=GovPasswordInput(),
        validators=[InputRequired("Enter your password"), Length(max=1000)],
    )
    submit = SubmitField("Sign in", widget=GovSubmitInput())


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        "Current password",
        widget=GovPasswordInput(),
        validators=[InputRequired("Enter your current password"), Length(max=1000)],
    )
    new_password = PasswordField(
        "New password",
        description="At least 12 characters. Three or more random words make a strong password.",
        widget=GovPasswordInput(),
        validators=[InputRequired("Enter a new password"), Length(max=1000)],
    )
    confirm_password = PasswordField(
        "Confirm new password",
        widget=GovPasswordInput(),
        validators=[
            InputRequired("Enter the new password again"),
            EqualTo("new_password", "The passwords do not match"),
        ],
    )
    submit = SubmitField("Change password", widget=GovSubmitInput())

    def validate_new_password(self, field):
        from flask import current_app
        from flask_login import current_user

        from .passwords import problem

        if field.data and field.data == self.current_password.data:
            raise ValidationError("Enter a password different from your current one")
        personal = (current_user.email, current_user.email.split("@")[0], current_user.name)
        message = problem(field.data or "", current_app.config["PASSWORD_MIN_LENGTH"], personal)
        if message:
            raise ValidationError(message)


class CodeForm(FlaskForm):
    """The six-digit code from an authenticator app (TOTP)."""

    code = StringField(
        "Code from your authenticator app",
        description="The 6-digit code the app shows now, for example 123456",
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[
            InputRequired("Enter the code from your authenticator app"),
            Length(max=20, message="Enter the 6-digit code from your authenticator app"),
            Regexp(
                r"^\s*\d{3}\s?\d{3}\s*$",
                message="Enter the 6-digit code from your authenticator app",
            ),
        ],
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())


ROLE_CHOICES = [SelectChoice(role.value, ROLE_TITLES[role]) for role in Role]


class UserForm(FlaskForm):
    email = StringField(
        "Email address",
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[
            InputRequired("Enter an email address"),
            Length(max=254),
            # A shape check only: the account is proven when its owner signs in.
            Regexp(
                r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
                message="Enter an email address in the correct format, like name@example.gov.uk",
            ),
        ],
    )
    name = StringField(
        "Full name",
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[InputRequired("Enter the person's full name"), Length(max=200)],
    )
    grade = StringField(
        "Job title and grade",
        description="As it should appear on the central record, for example Head of Regulatory Services",
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[InputRequired("Enter the job title and grade"), Length(max=200)],
    )
    service = StringField(
        "Service",
        description="For example Trading Standards, Revenues and Benefits, Environmental Health",
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[Optional(), Length(max=200)],
    )
    roles = SelectMultipleField(
        "Roles",
        description="Select all that apply",
        choices=ROLE_CHOICES,
        widget=GovCheckboxesInput(),
        validators=[InputRequired("Select at least one role")],
    )
    can_authorise_confidential = BooleanField(
        "May authorise where confidential or legally privileged information is likely",
        description="Only the head of paid service, or whoever acts for them in their absence",
        widget=GovCheckboxInput(),
    )
    submit = SubmitField("Save", widget=GovSubmitInput())


class DestroyForm(FlaskForm):
    reason = TextAreaField(
        "Why are the details being destroyed now?",
        description="For example: retention period ended, no proceedings, complaints or reviews pending",
        widget=GovTextArea(),
        filters=[clean_text],
        validators=[InputRequired("Enter why the details are being destroyed"), Length(max=2000)],
    )
    submit = SubmitField("Destroy the details", widget=GovSubmitInput())


class ConfirmForm(FlaskForm):
    """A form with nothing but its CSRF token and a button."""

    submit = SubmitField("Confirm", widget=GovSubmitInput())


class SubjectForm(FlaskForm):
    name = StringField(
        "Name of the person or organisation",
        description="If the name is not known, describe them, for example the seller using the name 'Bargain Bags'",
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[
            InputRequired("Enter the name or a description of the subject"),
            Length(max=200),
        ],
    )
    description = TextAreaField(
        "Anything else that identifies them (optional)",
        description="Aliases, trading names, addresses",
        widget=GovTextArea(),
        filters=[clean_text],
        validators=[Optional(), Length(max=2000)],
    )
    profiles = TextAreaField(
        "Profiles or pages to be viewed",
        description="One web address per line, for example https://www.facebook.com/bargainbags.example",
        widget=GovTextArea(),
        filters=[clean_text],
        validators=[InputRequired("Enter at least one web address"), Length(max=5000)],
    )
    submit = SubmitField("Add subject", widget=GovSubmitInput())


class _OfferedChoiceOnly:
    """Answers a choice that was not offered with the question's own GOV.UK message."""

    def __init__(self, *args, choice_error: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.choice_error = choice_error

    def pre_validate(self, form):
        if self.data and self.data not in {c.value for c in self.choices}:
            raise ValidationError(self.choice_error or "Select one of the options")


class QuestionRadioField(_OfferedChoiceOnly, RadioField):
    pass


class QuestionSelectField(_OfferedChoiceOnly, SelectField):
    pass


def page_form_class(page: Page, offences: dict[str, Offence]) -> type[FlaskForm]:
    """A FlaskForm for one page of a form definition."""
    attrs = {q.name: _field(q, offences) for q in page.questions}
    return type(f"{page.slug.title().replace('-', '')}Form", (FlaskForm,), attrs)


def _field(question: Question, offences: dict[str, Offence]):
    validators = [
        InputRequired(question.error) if question.required else Optional(),
    ]
    if question.max_length:
        validators.append(
            Length(
                max=question.max_length,
                message=f"{question.label.rstrip('?')} must be {question.max_length:,} characters or fewer",
            )
        )
    common = {"label": question.label, "description": question.hint, "validators": validators}
    if question.kind == "text":
        return StringField(widget=GovTextInput(), filters=[clean_text], **common)
    if question.kind == "textarea":
        return TextAreaField(widget=GovTextArea(), filters=[clean_text], **common)
    if question.kind == "radios":
        choices = [SelectChoice(c.value, c.label) for c in question.choices]
        return QuestionRadioField(
            choices=choices, widget=GovRadioInput(), choice_error=question.error, **common
        )
    choices = [SelectChoice("", "Choose an offence")] + [
        SelectChoice(o.code, f"{o.title} ({o.citation})") for o in offences.values()
    ]
    return QuestionSelectField(
        choices=choices,
        widget=GovSelect(),
        choice_error=question.error or "Choose an offence from the list",
        **common,
    )
