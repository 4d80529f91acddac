"""WTForms for the SRO's oversight: training, the non-RIPA register, errors, policy, inspections."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import (
    GovFileInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
)
from wtforms import RadioField, SelectField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, ValidationError

from ripa_guard.core.fields import (
    YES_NO,
    ConditionalFields,
    GovDateField,
    interval_field,
    text_field,
)
from ripa_guard.oversight.models import (
    ERROR_KIND_TITLES,
    ActionProgress,
    ErrorKind,
    FindingCategory,
)


class _ChoiceOnly:
    """A choice that was not offered gets the field's own GOV.UK message, not WTForms' own."""

    def __init__(self, *args, choice_error: str = "Select one of the options", **kwargs):
        super().__init__(*args, **kwargs)
        self.choice_error = choice_error

    def pre_validate(self, form):
        offered = {str(c.value if hasattr(c, "value") else c[0]) for c in self.choices}
        if self.data and self.data not in offered:
            raise ValidationError(self.choice_error)


class ChoiceRadio(_ChoiceOnly, RadioField):
    pass


class ChoiceSelect(_ChoiceOnly, SelectField):
    pass


class TrainingForm(FlaskForm):
    user_id = ChoiceSelect(
        "Who was trained?",
        widget=GovSelect(),
        validators=[InputRequired("Select the person who was trained")],
        choice_error="Select the person who was trained",
    )
    trained_on = GovDateField(
        "Date of the training",
        validators=[InputRequired("Enter the date of the training")],
        message="The date of the training must be a real date",
        description="For example, 27 3 2026",
    )
    course = text_field(
        "What did it cover?",
        "Enter what the training covered",
        hint="For example: RIPA for authorising officers, including social media research",
        max_length=200,
        area=False,
    )
    provider = text_field(
        "Who gave it? (optional)",
        "",
        hint="A trainer, a firm, or e-learning",
        required=False,
        max_length=200,
        area=False,
    )
    notes = text_field("Notes (optional)", "", required=False, max_length=2000)
    submit = SubmitField("Record the training", widget=GovSubmitInput())


class NonRipaForm(FlaskForm):
    """The privacy assessment for research outside RIPA (ECHR Article 8(2))."""

    title = text_field(
        "Title of the investigation",
        "Enter the title of the investigation",
        max_length=200,
        area=False,
    )
    purpose = text_field(
        "Why is the council looking, if not for a crime?",
        "Enter why the council is looking",
        hint="For example: a disciplinary investigation into an employee's sickness absence",
    )
    subjects = text_field(
        "Whose privacy will it interfere with?",
        "Enter whose privacy it will interfere with",
        hint="The people, and the profiles or pages to be viewed, one per line",
    )
    activity = text_field(
        "What will be done, how often and for how long?",
        "Enter what will be done, how often and for how long",
    )
    necessity = text_field(
        "Why is it necessary?",
        "Enter why it is necessary",
        hint="What the council needs to find out, and why it cannot find it out another way",
    )
    proportionality = text_field(
        "Why is it proportionate?",
        "Enter why it is proportionate",
        hint="How the intrusion is balanced against what it seeks to achieve, and kept to the least needed",
    )
    collateral_intrusion = text_field(
        "Whose else's privacy may be affected, and how will that be kept to a minimum?",
        "Enter whose else's privacy may be affected",
        hint="Friends, family, other people's posts",
    )
    alternatives = text_field(
        "What else was considered, and why was it not enough?",
        "Enter what else was considered",
    )
    submit = SubmitField("Send for approval", widget=GovSubmitInput())


class NonRipaDecisionForm(ConditionalFields, FlaskForm):
    required_when = (
        (
            "review_interval_days",
            "decision",
            "approve",
            "Enter how often it is to be reviewed, in days",
        ),
    )
    decision = ChoiceRadio(
        "Your decision",
        choices=[SelectChoice("approve", "Approve"), SelectChoice("refuse", "Refuse")],
        widget=GovRadioInput(),
        validators=[InputRequired("Select your decision")],
        choice_error="Select your decision",
    )
    reasons = text_field(
        "Your reasons",
        "Enter your reasons",
        hint="If you approve: why it is necessary and proportionate. Otherwise: why not",
    )
    review_interval_days = interval_field("Review it every how many days?", "Needed if you approve")
    submit = SubmitField("Record the decision", widget=GovSubmitInput())


class NonRipaReviewForm(FlaskForm):
    continues = ChoiceRadio(
        "Should it continue?",
        choices=[
            SelectChoice("yes", "Yes, it is still necessary and proportionate"),
            SelectChoice("no", "No, it should stop and be closed"),
        ],
        widget=GovRadioInput(),
        validators=[InputRequired("Select whether it should continue")],
        choice_error="Select whether it should continue",
    )
    notes = text_field("Your reasons", "Enter your reasons")
    submit = SubmitField("Record the review", widget=GovSubmitInput())


class NonRipaCloseForm(FlaskForm):
    reason = text_field("Why has it stopped?", "Enter why it has stopped")
    handling = text_field(
        "What was obtained, and what happens to it?",
        "Enter what was obtained and what happens to it",
        hint="Kept (where, for how long), used, or destroyed",
    )
    submit = SubmitField("Close it", widget=GovSubmitInput())


ERROR_KIND_CHOICES = [SelectChoice(k.value, ERROR_KIND_TITLES[k]) for k in ErrorKind]


def _kind_field():
    return ChoiceRadio(
        "What kind of error is it?",
        choices=ERROR_KIND_CHOICES,
        widget=GovRadioInput(),
        validators=[InputRequired("Select the kind of error")],
        choice_error="Select the kind of error",
    )


def _reported_field():
    return GovDateField(
        "Date it was reported to IPCO (optional)",
        validators=[],
        message="The date it was reported must be a real date",
        description="Leave blank until it has been reported. For example, 27 3 2026",
    )


class ErrorForm(FlaskForm):
    """An error the SRO records (DOMAIN.md §2: the SRO reports errors to IPCO)."""

    kind = _kind_field()
    reference = text_field(
        "URN or reference it concerns (optional)", "", required=False, max_length=40, area=False
    )
    what_happened = text_field("What happened?", "Enter what happened")
    occurred_on = GovDateField(
        "When did it happen? (optional)",
        validators=[],
        message="The date it happened must be a real date",
        description="For example, 27 3 2026",
    )
    found_on = GovDateField(
        "When was it found?",
        validators=[InputRequired("Enter the date it was found")],
        message="The date it was found must be a real date",
        description="For example, 27 3 2026",
    )
    cause = text_field("What caused it?", "Enter what caused it")
    action_taken = text_field("What was done about it?", "Enter what was done about it")
    reported_to_ipco_on = _reported_field()
    submit = SubmitField("Record the error", widget=GovSubmitInput())


class ConfirmErrorForm(FlaskForm):
    kind = _kind_field()
    what_happened = text_field("What happened?", "Enter what happened")
    cause = text_field("What caused it?", "Enter what caused it")
    action_taken = text_field("What was done about it?", "Enter what was done about it")
    reported_to_ipco_on = _reported_field()
    submit = SubmitField("Confirm the error", widget=GovSubmitInput())


class DismissErrorForm(FlaskForm):
    reason = text_field(
        "Why is this not a relevant error?", "Enter why this is not a relevant error"
    )
    submit = SubmitField("Dismiss it", widget=GovSubmitInput())


class PolicyReviewForm(FlaskForm):
    reviewed_on = GovDateField(
        "Date of the review",
        validators=[InputRequired("Enter the date of the review")],
        message="The date of the review must be a real date",
        description="For example, 27 3 2026",
    )
    reviewed_by = text_field(
        "Who reviewed it?",
        "Enter who reviewed it",
        hint="For example: Audit and Governance Committee",
        max_length=200,
        area=False,
    )
    by_members = ChoiceRadio(
        "Did elected members review and set the policy?",
        choices=YES_NO,
        widget=GovRadioInput(),
        validators=[InputRequired("Select whether elected members reviewed it")],
        choice_error="Select whether elected members reviewed it",
    )
    notes = text_field("What changed, and what members asked for (optional)", "", required=False)
    submit = SubmitField("Record the review", widget=GovSubmitInput())


class RecommendationForm(FlaskForm):
    inspection_date = GovDateField(
        "Date of the inspection",
        validators=[InputRequired("Enter the date of the inspection")],
        message="The date of the inspection must be a real date",
        description="For example, 27 3 2026",
    )
    inspector = text_field(
        "Inspector's name", "Enter the inspector's name", max_length=200, area=False
    )
    number = text_field(
        "Number in the report",
        "Enter the finding's number",
        hint="For example R1",
        max_length=20,
        area=False,
    )
    category = ChoiceRadio(
        "Is it a recommendation or an observation?",
        choices=[
            SelectChoice(FindingCategory.RECOMMENDATION.value, "Recommendation"),
            SelectChoice(FindingCategory.OBSERVATION.value, "Observation"),
        ],
        description="As the inspection report puts it.",
        widget=GovRadioInput(),
        validators=[InputRequired("Select recommendation or observation")],
        choice_error="Select recommendation or observation",
    )
    text = text_field("The finding", "Enter the finding")
    submit = SubmitField("Record the finding", widget=GovSubmitInput())


PROGRESS_CHOICES = [SelectChoice(p.value, p.title) for p in ActionProgress]


class ActionForm(FlaskForm):
    action_taken = text_field("What has been done?", "Enter what has been done")
    progress = ChoiceRadio(
        "Where does that leave the action plan?",
        choices=PROGRESS_CHOICES,
        widget=GovRadioInput(),
        validators=[InputRequired("Select where the action plan stands")],
        choice_error="Select where the action plan stands",
    )
    submit = SubmitField("Record the action", widget=GovSubmitInput())


class ReconcileForm(FlaskForm):
    """A proxy log to check against the viewing log, and who its users are."""

    file = FileField(
        "Upload the proxy log",
        description=(
            "Squid's access.log, or a CSV file with the columns time, user and address; "
            "it may be compressed (.gz)"
        ),
        widget=GovFileInput(),
        validators=[FileRequired("Select the proxy log")],
    )
    file_format = ChoiceRadio(
        "What format is the log in?",
        choices=[
            SelectChoice("squid", "Squid access.log (native format)"),
            SelectChoice("csv", "CSV with time, user and address"),
        ],
        default="squid",
        widget=GovRadioInput(),
        validators=[InputRequired("Select the log's format")],
        choice_error="Select the log's format",
    )
    users = FileField(
        "Users file (optional)",
        description=(
            "A CSV file of the log's user names and each person's e-mail address, one a line, "
            "for user names ripa_guard cannot match itself"
        ),
        widget=GovFileInput(),
    )
    submit = SubmitField("Check the log", widget=GovSubmitInput())
