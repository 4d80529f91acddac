"""The SRO's form for the council's details."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput
from wtforms import HiddenField, SubmitField
from wtforms.validators import Optional, Regexp

from ripa_guard.core.fields import text_field

_LINK = Regexp(r"^https?://\S+$", message="Enter a web address starting with https://")
_EMAIL = Regexp(
    r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message="Enter an e-mail address like name@council.gov.uk"
)


def _line(label, hint="", max_length=200):
    return text_field(label, "", hint=hint, required=False, max_length=max_length, area=False)


class CouncilDetailsForm(FlaskForm):
    name = _line("Council name", "As it appears on the court papers")
    address = text_field(
        "Postal address", "", hint="For the court papers", required=False, max_length=1000
    )
    telephone = _line("Telephone", "For the court papers", max_length=50)
    policy_url = _line(
        "Link to the council's RIPA and social media policy",
        "Shown to officers where a question needs it, for example https://intranet.example.gov.uk/ripa-policy",
        max_length=500,
    )
    coordinator_name = _line("RIPA coordinator's name", "Shown at the foot of every page")
    coordinator_email = _line("RIPA coordinator's e-mail address", max_length=254)
    coordinator_telephone = _line("RIPA coordinator's telephone", max_length=50)
    version = HiddenField()
    submit = SubmitField("Save the council's details", widget=GovSubmitInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.policy_url.validators = [Optional(), *self.policy_url.validators, _LINK]
        self.coordinator_email.validators = [
            Optional(),
            *self.coordinator_email.validators,
            _EMAIL,
        ]
