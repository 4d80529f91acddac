"""WTForms for the authorisation's life: decisions, hearings, reviews, renewals, cancellation."""

from __future__ import annotations

from datetime import datetime

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import RadioField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Optional

from ripa_guard.applications.models import CourtOutcome, Decision, ReviewOutcome
from ripa_guard.core.fields import (
    TIME,
    YES_NO,
    ConditionalFields,
    GovDateField,
    clean_text,
    interval_field,
    local_moment,
    text_field,
)
from ripa_guard.law import decision_rules
from ripa_guard.law.decision_rules import Statements


def _statement_field(name: str):
    element = decision_rules.element(name)
    return text_field(
        element.question,
        element.needed,
        hint=f"What you are satisfied of and why, in your own words ({element.citation})",
        required=False,
    )


class DecisionForm(ConditionalFields, FlaskForm):
    """An authorising officer's decision. An approval needs their own statement on each element
    (law/decision_rules.py); a directly involved officer says why (Code of Practice 2018,
    paragraph not confirmed). lifecycle enforces the same rules."""

    required_when = (
        ("what_authorised", "decision", Decision.APPROVED.value, "Say what you authorise"),
        ("reasons", "decision", Decision.REFUSED.value, "Enter your reasons"),
        ("reasons", "decision", Decision.RETURNED.value, "Enter your reasons"),
        (
            "review_interval_days",
            "decision",
            Decision.APPROVED.value,
            "Enter how often the authorisation is to be reviewed, in days",
        ),
        (
            "directly_involved_reason",
            "directly_involved",
            "yes",
            "Explain why you must authorise an investigation you are involved in",
        ),
    )

    decision = RadioField(
        "Your decision",
        choices=[
            SelectChoice(Decision.APPROVED.value, "Approve"),
            SelectChoice(Decision.REFUSED.value, "Refuse"),
            SelectChoice(Decision.RETURNED.value, "Return to the officer for more information"),
        ],
        widget=GovRadioInput(),
        validators=[InputRequired("Select your decision")],
    )
    what_authorised = text_field(
        "What do you authorise?",
        "Say what you authorise",
        hint="In your own words: which subjects and profiles, what activity, and for what purpose",
        required=False,
    )
    necessity = _statement_field("necessity")
    proportionality_balance = _statement_field("proportionality_balance")
    proportionality_least_intrusive = _statement_field("proportionality_least_intrusive")
    proportionality_appropriate = _statement_field("proportionality_appropriate")
    proportionality_alternatives = _statement_field("proportionality_alternatives")
    collateral_intrusion = _statement_field("collateral_intrusion")
    reasons = text_field(
        "Your reasons",
        "Enter your reasons",
        hint=(
            "If you refuse or return it: why, or what is missing. "
            "If you approve: anything else you took into account (optional)"
        ),
        required=False,
    )
    review_interval_days = interval_field(
        "Review it every how many days?",
        "More often where collateral intrusion or confidential information is likely",
    )
    directly_involved = RadioField(
        "Are you directly involved in this investigation?",
        choices=YES_NO,
        widget=GovRadioInput(),
        validators=[InputRequired("Select whether you are directly involved in the investigation")],
    )
    directly_involved_reason = text_field(
        "If yes, why can it not be avoided?",
        "Explain why you must authorise an investigation you are involved in",
        required=False,
    )
    offences_genuine = RadioField(
        decision_rules.OFFENCES_GENUINE_QUESTION,
        description=(
            "The same facts can be charged several ways. Approve only if the elements of the "
            f"offence(s) that meet the crime threshold are genuinely suspected "
            f"({decision_rules.OFFENCES_GENUINE_CITATION})"
        ),
        choices=[SelectChoice("yes", "Yes"), SelectChoice("no", "No")],
        widget=GovRadioInput(),
        validators=[Optional()],
    )
    submit = SubmitField("Record the decision", widget=GovSubmitInput())

    #: The application's answers, set by the view, so that a copy of one is refused.
    application_answers: dict | None = None

    @property
    def offences_genuine_answer(self) -> bool | None:
        """The authorising officer's yes or no; None when not answered (or not asked)."""
        field = self._fields.get("offences_genuine")
        return {"yes": True, "no": False}.get(field.data) if field is not None else None

    @property
    def statements(self) -> Statements:
        return Statements(**{name: self[name].data or "" for name in Statements.names()})

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        involved = self.directly_involved_reason
        if not involved.errors:
            problem = decision_rules.directly_involved_problem(
                self.directly_involved.data == "yes", involved.data
            )
            if problem:
                involved.errors = [problem]
                valid = False
        genuine = self._fields.get("offences_genuine")
        if self.decision.data == Decision.APPROVED.value and genuine is not None:
            problem = decision_rules.offences_genuine_problem(self.offences_genuine_answer)
            if problem and not genuine.errors:
                genuine.errors = [problem]
                valid = False
        if self.decision.data == Decision.APPROVED.value:
            problems = decision_rules.statement_problems(self.statements, self.application_answers)
            for name, message in problems.items():
                if not self[name].errors:
                    self[name].errors = [message]
                    valid = False
        return valid


class RenewalDecisionForm(DecisionForm):
    decision = RadioField(
        "Your decision on the renewal",
        choices=[
            SelectChoice(Decision.APPROVED.value, "Approve the renewal"),
            SelectChoice(Decision.REFUSED.value, "Refuse the renewal"),
        ],
        widget=GovRadioInput(),
        validators=[InputRequired("Select your decision")],
    )
    #: Asked on the grant; a renewal does not change the offences named.
    offences_genuine = None


class CourtHearingForm(FlaskForm):
    court = text_field(
        "Magistrates' court", "Enter the name of the court", area=False, max_length=200
    )
    hearing_date = GovDateField(
        "Date of the hearing",
        validators=[InputRequired("Enter the date of the hearing")],
        message="The date of the hearing must be a real date",
        description="For example, 27 3 2026",
    )
    magistrate = text_field(
        "Name of the justice of the peace or district judge",
        "Enter the magistrate's name",
        area=False,
        max_length=200,
    )
    outcome = RadioField(
        "The magistrate's decision",
        # Quashing is a later step of its own (RIPA s.32B(3); CrimPR 2020 r.47.52(2)).
        choices=[
            SelectChoice(o.value, o.title) for o in (CourtOutcome.APPROVED, CourtOutcome.REFUSED)
        ],
        widget=GovRadioInput(),
        validators=[InputRequired("Select the magistrate's decision")],
    )
    decision_date = GovDateField(
        "Date of the decision",
        validators=[InputRequired("Enter the date of the decision")],
        message="The date of the decision must be a real date",
        description="An approval takes effect on this day",
    )
    decision_time = StringField(
        "Time of the decision",
        description="24-hour clock, for example 14:30",
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[InputRequired("Enter the time of the decision"), TIME],
    )
    notes = text_field("Notes (optional)", "", required=False)
    submit = SubmitField("Record the court's decision", widget=GovSubmitInput())

    @property
    def decided_at(self) -> datetime:
        return local_moment(self.decision_date.data, self.decision_time.data)


class QuashingForm(FlaskForm):
    """The court's order quashing what it refused to approve (RIPA s.32B(3))."""

    court = text_field(
        "Magistrates' court", "Enter the name of the court", area=False, max_length=200
    )
    magistrate = text_field(
        "Name of the justice of the peace or district judge",
        "Enter the magistrate's name",
        area=False,
        max_length=200,
    )
    decision_date = GovDateField(
        "Date of the quashing order",
        validators=[InputRequired("Enter the date of the quashing order")],
        message="The date of the quashing order must be a real date",
        description="For example, 27 3 2026",
    )
    decision_time = StringField(
        "Time of the order",
        description="24-hour clock, for example 14:30",
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[InputRequired("Enter the time of the order"), TIME],
    )
    notes = text_field("Notes (optional)", "", required=False)
    submit = SubmitField("Record the quashing order", widget=GovSubmitInput())

    @property
    def decided_at(self) -> datetime:
        return local_moment(self.decision_date.data, self.decision_time.data)


class ReviewForm(ConditionalFields, FlaskForm):
    required_when = (
        (
            "next_interval_days",
            "outcome",
            ReviewOutcome.CONTINUE.value,
            "Enter when the next review is due, in days",
        ),
    )

    outcome = RadioField(
        "Result of the review",
        choices=[
            SelectChoice(
                ReviewOutcome.CONTINUE.value, "Continue: still necessary and proportionate"
            ),
            SelectChoice(
                ReviewOutcome.CANCEL.value, "Cancel: no longer necessary or proportionate"
            ),
        ],
        widget=GovRadioInput(),
        validators=[InputRequired("Select the result of the review")],
    )
    reasons = text_field(
        "Your reasons",
        "Enter the reasons for your review",
        hint="What the surveillance has obtained so far, any collateral intrusion, and why it should go on or stop",
    )
    next_interval_days = interval_field("Next review in how many days?", "")
    submit = SubmitField("Record the review", widget=GovSubmitInput())


class RenewalRequestForm(FlaskForm):
    reasons = text_field(
        "Why does the surveillance need to continue?",
        "Explain why the surveillance needs to continue",
        hint="Why it is still necessary and proportionate",
    )
    obtained_so_far = text_field(
        "What has the surveillance obtained so far?",
        "Describe what the surveillance has obtained so far",
        hint="And how it has helped the investigation",
    )
    submit = SubmitField("Ask for a renewal", widget=GovSubmitInput())


class CancellationForm(FlaskForm):
    reason = text_field(
        "Why is it being cancelled?",
        "Explain why the authorisation is being cancelled",
        hint="For example, the subject has been identified, or the surveillance is no longer proportionate",
    )
    obtained = text_field(
        "What did the surveillance obtain?",
        "Describe what the surveillance obtained",
        hint="Inspectors criticise one-line cancellations",
    )
    handling = text_field(
        "What will happen to the material obtained?",
        "Say what will happen to the material obtained",
        hint="Where it is kept, who may see it, when it will be reviewed or destroyed",
    )
    stop_date = GovDateField(
        "Date the officers were told to stop",
        validators=[InputRequired("Enter the date the officers were told to stop")],
        message="The date the officers were told to stop must be a real date",
    )
    stop_time = StringField(
        "Time they were told to stop",
        description="24-hour clock, for example 09:15",
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[InputRequired("Enter the time the officers were told to stop"), TIME],
    )
    # Asked only of an authorising officer who did not grant or last renew it (RIPA s.45(4);
    # SI 2000/2794 reg. 2); the service function says what is missing.
    acting_for_unavailable = RadioField(
        "Are you acting for them because they are no longer available?",
        choices=YES_NO,
        widget=GovRadioInput(),
        validators=[Optional()],
    )
    acting_reason = text_field(
        "Why are they no longer available, and how did you come to act for them?",
        "",
        hint="For example, they have left the council, and the director appointed you on 3 June",
        required=False,
    )
    same_or_senior_rank = RadioField(
        "Do you hold the same rank as them, or a more senior one, in this council?",
        choices=YES_NO,
        widget=GovRadioInput(),
        validators=[Optional()],
    )
    submit = SubmitField("Cancel the authorisation", widget=GovSubmitInput())

    @property
    def stop_instructed_at(self) -> datetime:
        return local_moment(self.stop_date.data, self.stop_time.data)
