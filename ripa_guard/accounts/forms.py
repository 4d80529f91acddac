"""The forms of accounts: signing in, passwords, the second step, users."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovPasswordInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    PasswordField,
    RadioField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import EqualTo, InputRequired, Length, Optional, Regexp, ValidationError

from ripa_guard.accounts.models import ROLE_TITLES, Role

# Control characters other than tab and newline have no place in a record that will be printed.
from ripa_guard.core.fields import OneLine, clean_text


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

        from ripa_guard.accounts.passwords import problem

        if field.data and field.data == self.current_password.data:
            raise ValidationError("Enter a password different from your current one")
        personal = (current_user.email, current_user.email.split("@")[0], current_user.name)
        message = problem(field.data or "", current_app.config["PASSWORD_MIN_LENGTH"], personal)
        if message:
            raise ValidationError(message)


#: The six digits of an authenticator app's code, a space allowed in the middle.
APP_CODE = r"\d{3}\s?\d{3}"
#: A recovery code as shown: four groups of four letters and digits (recovery_codes.py).
RECOVERY_CODE = r"[A-Za-z2-7]{4}-?[A-Za-z2-7]{4}-?[A-Za-z2-7]{4}-?[A-Za-z2-7]{4}"


def _code_field(description: str, pattern: str, wrong: str, longest: int) -> StringField:
    return StringField(
        "Code from your authenticator app",
        description=description,
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[
            InputRequired("Enter the code from your authenticator app"),
            Length(max=longest, message=wrong),
            Regexp(rf"^\s*({pattern})\s*$", message=wrong),
        ],
    )


class CodeForm(FlaskForm):
    """The six-digit code from an authenticator app (TOTP)."""

    code = _code_field(
        "The 6-digit code the app shows now, for example 123456",
        APP_CODE,
        "Enter the 6-digit code from your authenticator app",
        longest=20,
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())


class SignInCodeForm(CodeForm):
    """The second step of signing in: the app's code, or one of the person's recovery codes."""

    code = _code_field(
        "The 6-digit code the app shows now, for example 123456, or one of your recovery "
        "codes, for example ABCD-EFGH-JKLM-NPQR",
        f"{APP_CODE}|{RECOVERY_CODE}",
        "Enter the 6-digit code from your authenticator app, or a recovery code",
        longest=30,
    )


def _password_again():
    return PasswordField(
        "Your password",
        description="You signed in a while ago: enter your password to change how you sign in",
        widget=GovPasswordInput(),
        validators=[InputRequired("Enter your password"), Length(max=1000)],
    )


class SetUpTwoStepForm(CodeForm):
    """The code from the app, and the password unless it was given a few minutes ago (the
    view takes the field away then)."""

    password = _password_again()


class RecoveryCodesForm(FlaskForm):
    password = _password_again()
    submit = SubmitField("Make new recovery codes", widget=GovSubmitInput())


class RemoveTwoStepForm(FlaskForm):
    password = _password_again()
    submit = SubmitField("Remove the second step", widget=GovSubmitInput())


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
        validators=[InputRequired("Enter the person's full name"), Length(max=200), OneLine()],
    )
    grade = StringField(
        "Job title and grade",
        description="As it should appear on the central record, for example Head of Regulatory Services",
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[InputRequired("Enter the job title and grade"), Length(max=200), OneLine()],
    )
    service = StringField(
        "Service",
        description="For example Trading Standards, Revenues and Benefits, Environmental Health",
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[Optional(), Length(max=200), OneLine()],
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


class SignOnRoleForm(FlaskForm):
    claim_value = StringField(
        "Value in the provider's claim",
        description="An app role's value, for example RIPA.SRO, or a group's object ID, exactly "
        "as your council's sign-in service sends it",
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[InputRequired("Enter the value from the claim"), Length(max=200), OneLine()],
    )
    role = RadioField(
        "Role it gives in RIPA guard",
        choices=ROLE_CHOICES,
        widget=GovRadioInput(),
        validators=[InputRequired("Select a role")],
    )
    submit = SubmitField("Add", widget=GovSubmitInput())
