"""The form for destroying an entry's details after its retention period."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
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
