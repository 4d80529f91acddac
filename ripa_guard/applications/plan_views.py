"""The officer's journey: describe the planned research, get the triage outcome."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from govuk_frontend_wtf.wtforms_widgets import GovSelect
from wtforms import StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from ripa_guard.accounts.auth import roles_required
from ripa_guard.accounts.models import Role
from ripa_guard.applications import drafting, lists, plans
from ripa_guard.applications.access import triage_for_owner, triage_for_reading
from ripa_guard.applications.forms import (
    FlaskForm,
    GovSubmitInput,
    GovTextInput,
    QuestionSelectField,
    SubmitField,
)
from ripa_guard.applications.models import Outcome
from ripa_guard.applications.pages import definition, handle_page, offence_register
from ripa_guard.core import changes, clock, db
from ripa_guard.core.fields import ConfirmForm, OneLine, clean_text
from ripa_guard.law.triage import UNLISTED_DESCRIPTION as TRIAGE_UNLISTED_DESCRIPTION
from ripa_guard.law.triage import Outcome as TriageOutcome

bp = Blueprint("requests", __name__, url_prefix="/research")


class NewResearchForm(FlaskForm):
    title = StringField(
        "Give the research a short name",
        description="So you can find it again, for example 'Counterfeit handbags – Market Street seller'",
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[
            InputRequired("Enter a short name for the research"),
            Length(max=200),
            OneLine("Enter the short name on one line"),
        ],
    )
    investigation = QuestionSelectField(
        "Investigation",
        description=(
            "One of your open investigations. Viewings under it follow what the triage finds."
        ),
        choices=[],
        widget=GovSelect(),
        validators=[Optional()],
        choice_error="Select one of your open investigations",
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())


def _open_investigations() -> list:
    """The officer's open investigations: a plan is made under one chosen, never typed (issue
    15). Investigations sit above applications, so the viewing package hands its finder to the
    app (viewing.views) rather than this module importing it."""
    find = current_app.extensions.get("ripa_guard.open_investigations")
    return find(db.session(), current_user) if find else []


@bp.route("/")
@roles_required(Role.OFFICER)
def index():
    triages = lists.plans_of(db.session(), current_user)
    return render_template("requests/index.html", triages=triages)


@bp.route("/new", methods=["GET", "POST"])
@roles_required(Role.OFFICER)
def new():
    form = NewResearchForm()
    mine = _open_investigations()
    form.investigation.choices = [SelectChoice("", "Not under an investigation yet")] + [
        SelectChoice(str(i.id), i.label) for i in mine
    ]
    if request.method == "GET" and request.args.get("investigation"):
        form.investigation.data = request.args["investigation"]
    if form.validate_on_submit():
        chosen = next((i for i in mine if str(i.id) == form.investigation.data), None)
        record = plans.start_triage(
            db.session(), current_user, form.title.data, chosen.reference if chosen else ""
        )
        first = definition("triage").pages[0]
        return redirect(url_for("requests.page", triage_id=record.id, slug=first.slug))
    return render_template("requests/new.html", form=form)


@bp.route("/<int:triage_id>/<slug>", methods=["GET", "POST"])
@roles_required(Role.OFFICER)
def page(triage_id: int, slug: str):
    record = triage_for_owner(triage_id)
    form_def = definition("triage")
    page = form_def.page(slug) or abort(404)
    if record.is_complete or record.is_held:
        return redirect(url_for("requests.outcome", triage_id=record.id))
    result = handle_page(page, record.answers)
    if result.answers is not None:
        try:
            plans.save_triage_answers(db.session(), current_user, record, result.answers)
        except changes.Refused as refused:
            flash(str(refused))
            return redirect(url_for("requests.outcome", triage_id=record.id))
        following = form_def.next_page(slug)
        if result.draft:
            flash("Your answers have been saved", "success")
            return redirect(url_for("requests.index"))
        if following is None:
            return redirect(url_for("requests.check", triage_id=record.id))
        return redirect(url_for("requests.page", triage_id=record.id, slug=following.slug))
    previous = form_def.previous_page(slug)
    back = (
        url_for("requests.page", triage_id=record.id, slug=previous.slug)
        if previous
        else url_for("requests.index")
    )
    return render_template(
        "requests/page.html",
        form=result.form,
        page=page,
        record=record,
        definition=form_def,
        back=back,
    )


@bp.route("/<int:triage_id>/check", methods=["GET", "POST"])
@roles_required(Role.OFFICER)
def check(triage_id: int):
    record = triage_for_owner(triage_id)
    if record.is_complete or record.is_held:
        return redirect(url_for("requests.outcome", triage_id=record.id))
    form_def = definition("triage")
    form = ConfirmForm()
    missing = _missing(form_def, record.answers)
    if form.validate_on_submit() and not missing:
        plans.complete_triage(db.session(), current_user, record, offence_register(), clock.today())
        return redirect(url_for("requests.outcome", triage_id=record.id))
    return render_template(
        "requests/check.html",
        record=record,
        definition=form_def,
        missing=missing,
        confirm=form,
        offences=offence_register(),
    )


def _missing(form_def, answers):
    from ripa_guard.applications.definitions import missing

    return missing(form_def, answers)


@bp.route("/<int:triage_id>/outcome")
@roles_required(Role.OFFICER, Role.SRO, Role.COORDINATOR)
def outcome(triage_id: int):
    record = triage_for_reading(triage_id)
    if record.is_held:
        return render_template(
            "requests/held.html",
            record=record,
            description=record.answers.get(TRIAGE_UNLISTED_DESCRIPTION, ""),
        )
    if not record.is_complete:
        if record.officer_id != current_user.id:
            abort(404)
        return redirect(url_for("requests.check", triage_id=record.id))
    return render_template(
        "requests/outcome.html",
        record=record,
        outcome=TriageOutcome(record.outcome.value),
        offences=offence_register(),
        start_form=ConfirmForm(),
        non_ripa_activity=record.non_ripa_activity,
    )


@bp.route("/<int:triage_id>/application", methods=["POST"])
@roles_required(Role.OFFICER)
def start_application(triage_id: int):
    record = triage_for_owner(triage_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        application = drafting.start_application(db.session(), current_user, record)
    except changes.Refused as refused:
        flash(str(refused))
        return redirect(url_for("requests.outcome", triage_id=record.id))
    first = definition("application").pages[0]
    return redirect(url_for("applications.page", application_id=application.id, slug=first.slug))


@bp.route("/oversight")
@roles_required(Role.SRO, Role.COORDINATOR)
def oversight():
    """Every triage outcome, for the SRO: above all the attempts stopped at the threshold."""
    wanted = request.args.get("outcome", "")
    triages = lists.triage_outcomes(db.session(), wanted)
    return render_template(
        "requests/oversight.html", triages=triages, wanted=wanted, outcomes=list(Outcome)
    )
