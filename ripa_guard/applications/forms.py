"""WTForms classes: sign-in, accounts, and the pages built from the definitions in forms/."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from ripa_guard.applications.definitions import Page, Question
from ripa_guard.applications.offences import Offence

# Control characters other than tab and newline have no place in a record that will be printed.
from ripa_guard.core.fields import ConditionalFields, OneLine, clean_text, text_field
from ripa_guard.law import triage


class SubjectForm(FlaskForm):
    name = StringField(
        "Name of the person or organisation",
        description="If the name is not known, describe them, for example the seller using the name 'Bargain Bags'",
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[
            InputRequired("Enter the name or a description of the subject"),
            Length(max=200),
            OneLine(),
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


class ChangeSubjectForm(SubjectForm):
    submit = SubmitField("Save the subject", widget=GovSubmitInput())


class OffenceForm(FlaskForm):
    """One offence the conduct is believed to constitute, with the facts for each element
    (SI 2010/521 art. 7A(2)-(3)). The view offers the register's offences."""

    offence = None  # set per request by offence_form(), with the register's offences as choices
    facts = TextAreaField(
        "The facts for each element of the offence",
        description=(
            "Why the conduct is believed to constitute this offence: what was done, by whom, and "
            "what points to each element (for example, for fraud, what points to dishonesty)"
        ),
        widget=GovTextArea(),
        filters=[clean_text],
        validators=[
            InputRequired("Give the facts for each element of the offence"),
            Length(max=5000, message="The facts must be 5,000 characters or fewer"),
        ],
    )
    submit = SubmitField("Add offence", widget=GovSubmitInput())


def offence_form(offences: dict[str, Offence], **kwargs) -> OffenceForm:
    """The form to name an offence, offering every offence in the register."""
    choices = [SelectChoice("", "Choose an offence")] + [
        SelectChoice(o.code, f"{o.title} ({o.citation})") for o in offences.values()
    ]
    form_class = type(
        "NamedOffenceForm",
        (OffenceForm,),
        {
            "offence": QuestionSelectField(
                "Offence",
                description="If the offence is not listed, ask your RIPA coordinator to add it",
                choices=choices,
                widget=GovSelect(),
                choice_error="Choose an offence from the list",
                validators=[InputRequired("Choose an offence")],
            )
        },
    )
    return form_class(**kwargs)


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
        validators.append(OneLine())
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
    if question.unlisted:
        choices.append(SelectChoice(triage.UNLISTED, "My offence is not listed"))
    return QuestionSelectField(
        choices=choices,
        widget=GovSelect(),
        choice_error=question.error or "Choose an offence from the list",
        **common,
    )


class HeldOffenceForm(ConditionalFields, FlaskForm):
    """The RIPA coordinator's answer to a plan whose offence is not in the register."""

    required_when = (
        ("code", "decision", "add", "Enter a code for the offence, like THEFT-1"),
        ("title", "decision", "add", "Enter the offence's title"),
        ("act", "decision", "add", "Enter the Act or instrument that creates the offence"),
        ("section", "decision", "add", "Enter the section, regulation or article"),
        ("threshold_exception", "decision", "add", "Select whether it is on the exception list"),
        ("source", "decision", "add", "Enter where the maximum penalty was read"),
        ("reason", "decision", "cannot", "Say why the offence cannot be added to the register"),
    )

    decision = QuestionRadioField(
        "What will you do?",
        choices=[
            SelectChoice("add", "Add the offence to the register"),
            SelectChoice("cannot", "It cannot be added"),
        ],
        widget=GovRadioInput(),
        validators=[InputRequired("Select whether you will add the offence")],
        choice_error="Select whether you will add the offence",
    )
    code = text_field(
        "Code",
        "",
        hint="Capital letters, digits and hyphens, like THEFT-1",
        required=False,
        max_length=40,
        area=False,
    )
    title = text_field("Title", "", required=False, max_length=400, area=False)
    act = text_field(
        "Act or instrument",
        "",
        hint="For example Theft Act 1968",
        required=False,
        max_length=400,
        area=False,
    )
    section = text_field(
        "Section, regulation or article",
        "",
        hint="For example 1, or 92(1), or Sch 4 para 10",
        required=False,
        max_length=100,
        area=False,
    )
    max_custodial_months = text_field(
        "Longest prison term, in months",
        "",
        hint=(
            "The higher of the summary and indictment maxima in force. Leave empty if the offence "
            "carries no prison sentence."
        ),
        required=False,
        max_length=10,
        area=False,
    )
    threshold_exception = QuestionRadioField(
        "Is it one of the underage-sale offences on the exception list (SI 2010/521 art. 7A(3)(b))?",
        choices=[SelectChoice("false", "No"), SelectChoice("true", "Yes")],
        widget=GovRadioInput(),
        choice_error="Select whether it is on the exception list",
    )
    source = text_field(
        "Source of the penalty",
        "",
        hint="Where you read the maximum penalty, for example the section on legislation.gov.uk",
        required=False,
        max_length=2000,
    )
    reason = text_field(
        "Why it cannot be added",
        "",
        hint="For example: the conduct is not a criminal offence.",
        required=False,
        max_length=2000,
    )
    version = HiddenField()
    submit = SubmitField("Save and give the plan its outcome", widget=GovSubmitInput())
