"""WTForms for investigations: opening one, its officers, closing it, the coordinator's decision
on a held look, and a service's case reference format."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
)
from wtforms import SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Optional

from ripa_guard.applications.forms import QuestionRadioField, QuestionSelectField
from ripa_guard.viewing.forms import OfficersField, text_field


class OpenInvestigationForm(FlaskForm):
    reference = text_field(
        "Case reference",
        "Enter the case reference",
        100,
        hint="Your service's case reference for the investigation",
    )
    title = text_field(
        "Title",
        "Enter the title of the investigation",
        200,
        hint="For example, Counterfeit handbags sold online from Borchester",
    )
    offences = text_field(
        "Offence or offences under investigation",
        "Enter the offence or offences under investigation",
        2000,
        hint="For example, Trade Marks Act 1994 s.92 (unauthorised use of a trade mark)",
        area=True,
    )
    subjects = text_field(
        "Subjects and their profiles (optional)",
        "",
        4000,
        hint=(
            "One subject a line: the name, a colon, then the web addresses of their profiles "
            "separated by spaces. For example: Bargain Bags: "
            "https://www.facebook.com/bargainbags.example"
        ),
        area=True,
        required=False,
    )
    officers = OfficersField(
        "Other officers who work on it (optional)",
        description="Officers of your service. You work on it as the officer who opens it.",
        choices=[],
        widget=GovCheckboxesInput(),
        validators=[Optional()],
    )
    submit = SubmitField("Open the investigation", widget=GovSubmitInput())


class AddOfficerForm(FlaskForm):
    officer = QuestionSelectField(
        "Add an officer",
        choices=[],
        widget=GovSelect(),
        validators=[InputRequired("Select an officer")],
        choice_error="Select an officer",
    )
    add = SubmitField("Add the officer", widget=GovSubmitInput())


class CloseInvestigationForm(FlaskForm):
    reason = text_field(
        "Why is it being closed?",
        "Say why the investigation is closed",
        2000,
        hint="For example, the trader was prosecuted, or no offence was found. Once closed, "
        "nothing more can be viewed under it.",
        area=True,
    )
    close = SubmitField("Close the investigation", widget=GovSubmitInput())


RULINGS = [
    SelectChoice(
        "same_matter",
        "Same matter: the earlier looks count, so looking again needs an authorisation",
    ),
    SelectChoice("separate_matter", "Separate matter: the look may go ahead as initial research"),
]


class HeldLookDecisionForm(FlaskForm):
    ruling = QuestionRadioField(
        "Is this the same matter as the earlier looks?",
        choices=RULINGS,
        widget=GovRadioInput(),
        validators=[InputRequired("Select whether it is the same matter")],
        choice_error="Select whether it is the same matter",
    )
    reason = text_field(
        "Why?",
        "Say why",
        2000,
        hint="The senior responsible officer reads this",
        area=True,
    )
    decide = SubmitField("Record the decision", widget=GovSubmitInput())


class ReferenceFormatForm(FlaskForm):
    service = QuestionSelectField(
        "Service",
        choices=[],
        widget=GovSelect(),
        validators=[InputRequired("Select a service")],
        choice_error="Select a service",
    )
    template = text_field(
        "Case reference format",
        "",
        40,
        hint=(
            "Capital letters and numbers as written, / - . or spaces between them, YYYY for the "
            "year and N for each digit: for example TS/YYYY/NNNN. Leave it empty for any "
            "reference."
        ),
        required=False,
    )
    save = SubmitField("Save the format", widget=GovSubmitInput())
