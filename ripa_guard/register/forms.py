"""The forms of the central record: destroying an entry's details, importing the earlier record."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import (
    GovFileInput,
    GovSubmitInput,
    GovTextArea,
)
from wtforms import (
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length

# Control characters other than tab and newline have no place in a record that will be printed.
from ripa_guard.core.fields import clean_text


class DestroyForm(FlaskForm):
    reason = TextAreaField(
        "Why are the details being destroyed now?",
        description="For example: retention period ended, no proceedings, complaints or reviews pending",
        widget=GovTextArea(),
        filters=[clean_text],
        validators=[InputRequired("Enter why the details are being destroyed"), Length(max=2000)],
    )
    submit = SubmitField("Destroy the details", widget=GovSubmitInput())


class ImportUploadForm(FlaskForm):
    """The council's earlier central record, to check and then import."""

    file = FileField(
        "Upload the central record",
        description="A CSV (UTF-8) or Excel (.xlsx) file, up to 10 MB, with a header row",
        widget=GovFileInput(),
        validators=[FileRequired("Select a CSV or Excel file")],
    )
    submit = SubmitField("Upload and choose the columns", widget=GovSubmitInput())
