"""WTForms for the captured material register: record a capture, review it, destroy it."""

from __future__ import annotations

from datetime import datetime

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import (
    GovFileInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from ripa_guard.applications.forms import QuestionRadioField
from ripa_guard.core.fields import TIME, GovDateField, clean_text, local_moment, text_field
from ripa_guard.viewing.capture_models import CaptureKind

KINDS = [SelectChoice(k.value, k.title) for k in CaptureKind]
RESULTS = [
    SelectChoice("keep", "Keep it: it is still needed"),
    SelectChoice("destroy", "Destroy it: it is no longer needed"),
]


class CaptureForm(FlaskForm):
    """A capture made during a viewing: its file sent here, or its hash and where it is kept."""

    file = FileField(
        "The capture's file (optional)",
        description="A screenshot, PDF, video or saved page. It is kept on this service, named "
        "by its SHA-256. Leave it out if the capture is kept elsewhere.",
        widget=GovFileInput(),
    )
    sha256 = text_field(
        "SHA-256 of the file",
        "",
        hint="64 characters, 0 to 9 and a to f. Needed when the file is kept elsewhere; "
        "checked against the file when you send it",
        required=False,
        max_length=200,
        area=False,
    )
    kept_at = text_field(
        "Where is it kept?",
        "",
        hint="Needed when the file is not sent here: for example, the case file on the "
        "Trading Standards shared drive",
        required=False,
        max_length=500,
        area=False,
    )
    kind = QuestionRadioField(
        "Type of capture",
        choices=KINDS,
        widget=GovRadioInput(),
        validators=[InputRequired("Select the type of capture")],
    )
    address = StringField(
        "Address of the page captured",
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[InputRequired("Enter the address of the page captured")],
    )
    captured_on = GovDateField(
        "Date it was captured",
        validators=[InputRequired("Enter the date it was captured")],
        message="The date it was captured must be a real date",
    )
    captured_time = StringField(
        "Time it was captured",
        description="24-hour clock, for example 14:30",
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[InputRequired("Enter the time it was captured"), TIME],
    )
    submit = SubmitField("Record the capture", widget=GovSubmitInput())

    @property
    def captured_at(self) -> datetime:
        return local_moment(self.captured_on.data, self.captured_time.data)


class ReviewForm(FlaskForm):
    result = QuestionRadioField(
        "Is it still needed?",
        choices=RESULTS,
        widget=GovRadioInput(),
        validators=[InputRequired("Select whether it is kept or destroyed")],
    )
    reason = text_field("Why?", "Say why it is still needed, or why it is not", max_length=2000)
    keep_until = GovDateField(
        "Keep it until",
        message="The date it is kept until must be a real date",
        description="Only when it is kept. It is reviewed again by then",
    )
    review = SubmitField("Record the review", widget=GovSubmitInput())


class DestroyForm(FlaskForm):
    method = text_field(
        "How was it destroyed?",
        "",
        hint="For a file kept on this service, it is deleted when you confirm. For a copy kept "
        "elsewhere, say how and where it was destroyed",
        required=False,
        max_length=2000,
    )
    destroy = SubmitField("Record the destruction", widget=GovSubmitInput())
