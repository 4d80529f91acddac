"""The forms of the central record: destroying an entry's details, importing the earlier record."""

from __future__ import annotations

from datetime import date

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
from ripa_guard.core.fields import GovDateField, clean_text


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


class PeriodDateField(GovDateField):
    """Day, month and year boxes for a period's first or last day. It also reads one date
    written 2026-01-31, as the register's own links (its pages and sort) and older bookmarks
    carry it."""

    def process_formdata(self, valuelist):
        if len(valuelist) == 1 and "-" in str(valuelist[0]):
            try:
                day = date.fromisoformat(str(valuelist[0]).strip())
            except ValueError:
                pass
            else:
                self.data, self.raw_data = day, [str(day.day), str(day.month), str(day.year)]
                return
        super().process_formdata(valuelist)


class PeriodForm(FlaskForm):
    """The period of the register's filters and of an extract: read from the query string, so
    a filtered list is a link to share. Reading needs no CSRF token."""

    class Meta:
        csrf = False

    date_from = PeriodDateField(
        "From",
        name="from",
        id="f-from",
        message="The start of the period must be a real date",
        description="For example, 1 1 2026",
    )
    date_to = PeriodDateField(
        "To",
        name="to",
        id="f-to",
        message="The end of the period must be a real date",
        description="For example, 31 12 2026",
    )

    def iso(self) -> dict[str, str]:
        """The period as links carry it, 2026-01-31, leaving out what was not a real date."""
        return {
            field.name: field.data.isoformat()
            for field in (self.date_from, self.date_to)
            if field.data is not None
        }
