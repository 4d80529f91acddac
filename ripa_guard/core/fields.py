"""Form fields and forms every package shares: clean text, dates, yes or no, confirmations."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, time

from flask import current_app
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovDateInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    DateField,
    IntegerField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    StopValidation,
)

from ripa_guard.core.clock import LONDON

# Control characters other than tab and newline have no place in a record that will be printed.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value):
    if value is None:
        return value
    return _CONTROL.sub("", value.replace("\r\n", "\n")).strip()


#: The largest id any table holds: PostgreSQL's integer, the smaller of the two databases'.
MAX_ID = 2**31 - 1


def whole_number(value, most: int = MAX_ID) -> int | None:
    """A whole number written in the digits 0 to 9, from 0 to `most`; None for anything else.

    Not str.isdigit, which also accepts "²" and "٣" (that int() then refuses, or reads).
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 <= value <= most else None
    if not isinstance(value, str):
        return None
    value = value.strip()
    if not value or len(value) > 12 or not value.isascii() or not value.isdigit():
        return None
    number = int(value)
    return number if number <= most else None


class ConfirmForm(FlaskForm):
    """A form with nothing but its CSRF token and a button."""

    submit = SubmitField("Confirm", widget=GovSubmitInput())


YES_NO = [SelectChoice("no", "No"), SelectChoice("yes", "Yes")]


LONG_TEXT = 10_000


class RememberedDateInput(GovDateInput):
    """GovDateInput, its HTML kept by the parameters it was drawn from: the GOV.UK macro takes
    a millisecond or more for each date, and a filter form draws the same empty boxes on every
    page it shows (issue 19). The same parameters draw the same HTML, so nothing shown changes."""

    #: How many drawings an app keeps; past it they are drawn afresh.
    KEPT = 256

    def render(self, params):
        if current_app.jinja_env.auto_reload:  # templates being edited: draw them each time
            return super().render(params)
        kept = current_app.extensions.setdefault("ripa_guard.date_inputs", {})
        key = json.dumps(params, sort_keys=True, default=str)
        html = kept.get(key)
        if html is None:
            html = super().render(params)
            if len(kept) >= self.KEPT:
                kept.clear()
            kept[key] = html
        return html


class GovDateField(DateField):
    """Day, month and year boxes; anything typed that is not a real date gets a GOV.UK message."""

    def __init__(self, label=None, validators=None, message="Enter a real date", **kwargs):
        super().__init__(
            label, validators, format="%d %m %Y", widget=RememberedDateInput(), **kwargs
        )
        self.message = message

    def process_formdata(self, valuelist):
        if not valuelist:
            self.raw_data = None  # the widget unpacks three boxes or none
            return
        # Always three boxes, so a hostile or partial post cannot break the widget.
        parts = [str(v).strip() for v in list(valuelist)[:3]]
        parts += [""] * (3 - len(parts))
        self.raw_data = parts
        if not any(parts):
            self.data = None
            return
        try:
            self.data = datetime.strptime(" ".join(parts), "%d %m %Y").date()
        except ValueError as exc:
            self.data = None
            raise ValueError(self.message) from exc


#: Line breaks in any of their forms: CR, LF, NEL and Unicode's line and paragraph separators.
_LINE_BREAK = re.compile("[\r\n\x85\u2028\u2029]")


class OneLine:
    """A single-line field refuses line breaks: a title with one forged extra lines (a header)
    in the reminder e-mails it went into (issue 17)."""

    def __init__(self, message: str = "Enter this on one line, without line breaks"):
        self.message = message

    def __call__(self, _form, field) -> None:
        if isinstance(field.data, str) and _LINE_BREAK.search(field.data):
            raise StopValidation(self.message)


def text_field(label, message, hint="", required=True, max_length=LONG_TEXT, area=True):
    # No Optional() when not required: it would stop the form's conditional checks too.
    validators = [InputRequired(message)] if required else []
    validators.append(Length(max=max_length))
    if not area:
        validators.append(OneLine())
    field = TextAreaField if area else StringField
    return field(
        label,
        description=hint,
        widget=GovTextArea() if area else GovTextInput(),
        filters=[clean_text],
        validators=validators,
    )


def interval_field(label, hint):
    return IntegerField(
        label,
        description=hint,
        widget=GovTextInput(),
        validators=[
            Optional(),
            NumberRange(1, 92, "Enter a number of days between 1 and 92"),
        ],
    )


class ConditionalFields:
    """Questions required only by another answer, checked after the form's own validation."""

    #: (field, other field, value that makes it required, message)
    required_when: tuple[tuple[str, str, str, str], ...] = ()

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for name, other, value, message in self.required_when:
            field = self[name]
            if self[other].data == value and field.data in (None, "") and not field.errors:
                field.errors = [*field.errors, message]
                valid = False
        return valid


TIME = Regexp(r"^([01]?\d|2[0-3])[:.][0-5]\d$", message="Enter a time like 14:30")


def _parse_time(value: str) -> time:
    hours, minutes = value.replace(".", ":").split(":")
    return time(int(hours), int(minutes))


def local_moment(day: date, hhmm: str) -> datetime:
    """A date and a 24-hour time typed in England and Wales, as an aware datetime."""
    return datetime.combine(day, _parse_time(hhmm), tzinfo=LONDON)


def add_field_error(form, problem) -> bool:
    """Put a service function's InputProblem by the field it names; False when the form has no
    such field (the view then shows it at the top of the page)."""
    field = getattr(form, getattr(problem, "field", ""), None)
    if field is None:
        return False
    field.errors = [*field.errors, str(problem)]
    return True
