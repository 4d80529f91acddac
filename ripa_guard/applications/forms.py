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
from ripa_guard.core.fields import OneLine, clean_text


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
    return QuestionSelectField(
        choices=choices,
        widget=GovSelect(),
        choice_error=question.error or "Choose an offence from the list",
        **common,
    )
