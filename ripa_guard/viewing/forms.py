"""WTForms for the viewing log: a viewing, a note, a research profile, an API token."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from ripa_guard.applications.forms import QuestionRadioField, QuestionSelectField
from ripa_guard.core.fields import GovDateField, OneLine, clean_text
from ripa_guard.law.profile_identity import BadAddress, identify
from ripa_guard.law.viewing_rules import subject_key


def text_field(label, required_message, max_length, hint="", area=False, required=True):
    field = TextAreaField if area else StringField
    limit = Length(
        max=max_length, message=f"{label.rstrip('?')} must be {max_length:,} characters or fewer"
    )
    return field(
        label,
        description=hint,
        widget=GovTextArea() if area else GovTextInput(),
        filters=[clean_text],
        # No Optional() when not required: it would stop the form's own checks of the field.
        validators=([InputRequired(required_message), limit] if required else [limit])
        + ([] if area else [OneLine()]),
    )


class OfficersField(SelectMultipleField):
    """Checkboxes of officers; anything not offered gets a GOV.UK message, not WTForms' own."""

    def pre_validate(self, form):
        offered = {c.value for c in self.choices}
        if any(value not in offered for value in self.data or []):
            raise ValidationError("Select officers from the list")


class InvestigationField(SelectField):
    """A choice among the officer's own open investigations, never typed. Anything else sent,
    a closed one included, is left to the gate: it answers one that is not the officer's
    exactly as one that does not exist (investigations.NOT_YOURS)."""

    def pre_validate(self, form):
        if not self.data:
            raise ValidationError("Select the investigation")


CAPTURED = [SelectChoice("no", "No, I will only look"), SelectChoice("yes", "Yes")]


class ViewingForm(FlaskForm):
    """Everything an officer says about a viewing; the app records who and when."""

    url = text_field(
        "Web address of the profile or page",
        "Enter the web address of the profile or page",
        2000,
        hint="Copy it from your browser's address bar, for example https://www.facebook.com/bargainbags.example",
    )
    investigation = InvestigationField(
        "Investigation",
        description="One of your open investigations. Open a new one if it is not listed.",
        choices=[],
        widget=GovSelect(),
    )
    subject = text_field(
        "Whose profile is it?",
        "Enter who the profile belongs to",
        200,
        hint="The person or organisation, or a description such as 'the seller using the name Bargain Bags'",
    )
    research_profile = QuestionRadioField(
        "Research profile you are viewing from",
        choices=[],
        widget=GovRadioInput(),
        validators=[InputRequired("Select the research profile you are viewing from")],
        choice_error="Select the research profile you are viewing from",
    )
    purpose = text_field("Why are you viewing it?", "Say why you are viewing it", 2000, area=True)
    captured = QuestionRadioField(
        "Will you capture anything?",
        description="Screenshots, downloads, or notes of what you see",
        choices=CAPTURED,
        widget=GovRadioInput(),
        validators=[InputRequired("Select whether you will capture anything")],
        choice_error="Select whether you will capture anything",
    )
    capture_location = text_field(
        "Where will it be kept?",
        "",
        500,
        hint="For example, the case file in your service's case management system",
        required=False,
    )
    submit = SubmitField("Log the viewing", widget=GovSubmitInput())

    def validate_url(self, field):
        if field.data:
            try:
                identify(field.data)
            except BadAddress as bad:
                raise ValidationError(str(bad)) from bad

    def validate_subject(self, field):
        if field.data is not None and not subject_key(field.data):
            raise ValidationError("Enter who the profile belongs to")

    def validate_capture_location(self, field):
        if self.captured.data == "yes" and not field.data:
            raise ValidationError("Say where what you capture will be kept")


class NoteForm(FlaskForm):
    text = text_field(
        "Add a note or correction",
        "Enter the note",
        2000,
        hint="The viewing stays as it was logged; your note is kept beside it, with the time",
        area=True,
    )
    submit = SubmitField("Add the note", widget=GovSubmitInput())


class ResearchProfileForm(FlaskForm):
    platform = QuestionSelectField(
        "Platform",
        choices=[],
        widget=GovSelect(),
        validators=[InputRequired("Select the platform")],
        choice_error="Select the platform",
    )
    handle = text_field(
        "The account's name on the platform",
        "Enter the account's name on the platform",
        200,
        hint="As it appears on the platform, for example borsetshire.ts.research3",
    )
    covert = QuestionRadioField(
        "Is the account covert or overt?",
        choices=[
            SelectChoice("covert", "Covert: it does not say it is the council's"),
            SelectChoice("overt", "Overt: it says it is the council's"),
        ],
        widget=GovRadioInput(),
        validators=[InputRequired("Select whether the account is covert or overt")],
        choice_error="Select whether the account is covert or overt",
    )
    created_on = GovDateField(
        "When was the account created?",
        validators=[InputRequired("Enter the date the account was created")],
        message="The date the account was created must be a real date",
        description="For example, 27 3 2026",
    )
    users = OfficersField(
        "Who may use it?",
        description="Select every officer who may view from this account",
        choices=[],
        widget=GovCheckboxesInput(),
        validators=[Optional()],
    )
    notes = text_field(
        "Notes (optional)",
        "",
        2000,
        hint="For example, who holds the sign-in details and which device it is used on",
        area=True,
        required=False,
    )
    submit = SubmitField("Add to the register", widget=GovSubmitInput())


class ResearchProfileUserForm(FlaskForm):
    email = StringField(
        "Add an officer",
        description="Enter the email address of the investigating officer who may view from it",
        widget=GovTextInput(),
        validators=[
            InputRequired("Enter the email address of an active investigating officer"),
            Length(max=254, message="The email address must be 254 characters or fewer"),
        ],
    )
    add = SubmitField("Add the officer", widget=GovSubmitInput())


class RetireForm(FlaskForm):
    retired_on = GovDateField(
        "Date it was retired",
        validators=[InputRequired("Enter the date the account was retired")],
        message="The date the account was retired must be a real date",
        description="From this day nobody may view from it",
    )
    reason = text_field(
        "Why is it being retired?",
        "Say why the account is being retired",
        2000,
        hint="For example, the account was noticed, or it is no longer needed",
        area=True,
    )
    retire = SubmitField("Retire the research profile", widget=GovSubmitInput())


class TokenForm(FlaskForm):
    name = text_field(
        "Name the token",
        "Enter a name for the token",
        100,
        hint="So you can tell your tokens apart, for example 'Browser extension on my council laptop'",
    )
    submit = SubmitField("Make a token", widget=GovSubmitInput())
