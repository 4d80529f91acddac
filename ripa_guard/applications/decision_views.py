"""Decisions, the magistrate, reviews, renewals and cancellation of an authorisation."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ripa_guard.accounts import training
from ripa_guard.accounts.auth import roles_required
from ripa_guard.accounts.models import Role
from ripa_guard.applications import lifecycle, lists
from ripa_guard.applications.access import application_for_reading
from ripa_guard.applications.authorisation_forms import (
    CancellationForm,
    CourtHearingForm,
    DecisionForm,
    QuashingForm,
    RenewalDecisionForm,
    RenewalRequestForm,
    ReviewForm,
)
from ripa_guard.applications.models import (
    Application,
    CourtOutcome,
    Decision,
    Renewal,
    ReviewOutcome,
)
from ripa_guard.applications.pages import definition, offence_register
from ripa_guard.core import changes, clock, db
from ripa_guard.core.fields import add_field_error
from ripa_guard.core.records import version_seen
from ripa_guard.law import court as court_rules

bp = Blueprint("authorisations", __name__, url_prefix="/authorisations")

DECIDERS = (Role.AUTHORISING_OFFICER, Role.SRO)


def _show(application: Application):
    return redirect(url_for("applications.show", application_id=application.id))


def _renewal(application: Application, renewal_id: int) -> Renewal:
    renewal = next((r for r in application.renewals if r.id == renewal_id), None)
    return renewal or abort(404)


def _page(template: str, application: Application, form, problem: str | None = None, **extra):
    return render_template(
        template,
        application=application,
        form=form,
        problem=problem,
        definition=definition("application"),
        offences=offence_register(),
        training_problem=_training_problem(),
        **extra,
    )


def _training_problem() -> str | None:
    """Why the signed-in authorising officer cannot approve for want of training, if so."""
    return training.training_problem(db.session(), current_user, clock.today())


def _beside_field(form, bad: changes.InputProblem) -> str | None:
    """Put the service's refusal beside the question it is about; else at the top."""
    field = getattr(form, bad.field, None)
    if field is None:
        return str(bad)
    field.errors = [*field.errors, str(bad)]
    return None


@bp.route("/decisions")
@roles_required(*DECIDERS)
def queue():
    """Applications and renewals waiting for an authorising officer, oldest first."""
    return render_template(
        "authorisations/queue.html", queue=lists.waiting_for_decision(db.session())
    )


@bp.route("/<int:application_id>/decide", methods=["GET", "POST"])
@roles_required(*DECIDERS)
def decide(application_id: int):
    application = application_for_reading(application_id)
    form = DecisionForm()
    form.application_answers = application.answers
    problem = None
    if form.validate_on_submit():
        try:
            lifecycle.decide_application(
                db.session(),
                current_user,
                application,
                **_decision_answers(form),
                offences_genuine=form.offences_genuine_answer,
            )
        except changes.InputProblem as bad:
            problem = _beside_field(form, bad)
        except changes.Refused as refused:
            problem = str(refused)
        else:
            flash(f"Your decision on {application.urn} has been recorded", "success")
            return _show(application)
    elif request.method == "GET":
        form.review_interval_days.data = _default_interval()
    return _page("authorisations/decide.html", application, form, problem)


def _decision_answers(form) -> dict:
    """What an authorising officer's decision form gives the service, for a grant or a renewal."""
    return {
        "decision": Decision(form.decision.data),
        "what_authorised": form.what_authorised.data or "",
        "reasons": form.reasons.data,
        "review_interval_days": form.review_interval_days.data,
        "directly_involved": form.directly_involved.data == "yes",
        "directly_involved_reason": form.directly_involved_reason.data or "",
        "version": version_seen(),
        "statements": form.statements,
    }


def _default_interval() -> int:
    from flask import current_app

    return current_app.config["DEFAULT_REVIEW_INTERVAL_DAYS"]


@bp.route("/<int:application_id>/court", methods=["GET", "POST"])
@roles_required(*lifecycle.COURT_RECORDERS)
def court(application_id: int):
    application = application_for_reading(application_id)
    return _court(application, None)


def _court(application: Application, renewal: Renewal | None):
    """Record the magistrate's decision on the grant (s.32A) or on a renewal (s.32B)."""
    form = CourtHearingForm()
    problem = None
    if form.validate_on_submit():
        hearing = {
            "court": form.court.data,
            "hearing_date": form.hearing_date.data,
            "magistrate": form.magistrate.data,
            "outcome": CourtOutcome(form.outcome.data),
            "decided_at": form.decided_at,
            "notes": form.notes.data or "",
            "version": version_seen(),
        }
        try:
            if renewal is None:
                lifecycle.record_court_decision(db.session(), current_user, application, **hearing)
            else:
                lifecycle.record_renewal_court_decision(
                    db.session(), current_user, application, renewal=renewal, **hearing
                )
        except changes.InputProblem as bad:
            if not add_field_error(form, bad):
                problem = str(bad)
        except changes.Refused as refused:
            problem = str(refused)
        else:
            on = "" if renewal is None else " on the renewal"
            flash(f"The magistrate's decision{on} has been recorded", "success")
            return _show(application)
    return _page("authorisations/court.html", application, form, problem, renewal=renewal)


@bp.route("/<int:application_id>/quash", methods=["GET", "POST"])
@roles_required(*lifecycle.COURT_RECORDERS)
def quash(application_id: int):
    application = application_for_reading(application_id)
    return _quash(application, None)


@bp.route("/<int:application_id>/renewals/<int:renewal_id>/quash", methods=["GET", "POST"])
@roles_required(*lifecycle.COURT_RECORDERS)
def renewal_quash(application_id: int, renewal_id: int):
    application = application_for_reading(application_id)
    return _quash(application, _renewal(application, renewal_id))


def _quash(application: Application, renewal: Renewal | None):
    """Record the court's quashing order, a step after its refusal (RIPA s.32B(3); CrimPR 2020
    r.47.52(2))."""
    form = QuashingForm()
    problem = None
    refusal = next(
        (
            h
            for h in reversed(application.hearings)
            if h.renewal_id == (renewal.id if renewal else None)
            and h.outcome == CourtOutcome.REFUSED
        ),
        None,
    )
    if refusal is None:
        flash("Only an authorisation or renewal the magistrate refused to approve can be quashed")
        return _show(application)
    if form.validate_on_submit():
        try:
            lifecycle.record_quashing(
                db.session(),
                current_user,
                application,
                renewal=renewal,
                court_name=form.court.data,
                magistrate=form.magistrate.data,
                decided_at=form.decided_at,
                notes=form.notes.data or "",
                version=version_seen(),
                now=clock.now(),
            )
        except changes.InputProblem as bad:
            if not add_field_error(form, bad):
                problem = str(bad)
        except changes.Refused as refused:
            problem = str(refused)
        else:
            flash("The quashing order has been recorded", "success")
            return _show(application)
    elif request.method == "GET":
        form.court.data = refusal.court
        form.magistrate.data = refusal.magistrate
    refused_on = clock.local_date(refusal.decided_at)
    return _page(
        "authorisations/quash.html",
        application,
        form,
        problem,
        renewal=renewal,
        refused_on=refused_on,
        earliest=court_rules.earliest_quash_day(refused_on),
        citation=court_rules.CITATION_QUASH,
    )


@bp.route("/<int:application_id>/review", methods=["GET", "POST"])
@roles_required(*DECIDERS)
def review(application_id: int):
    application = application_for_reading(application_id)
    form = ReviewForm()
    problem = None
    if form.validate_on_submit():
        outcome = ReviewOutcome(form.outcome.data)
        try:
            lifecycle.record_review(
                db.session(),
                current_user,
                application,
                outcome=outcome,
                reasons=form.reasons.data,
                next_interval_days=form.next_interval_days.data,
                version=version_seen(),
                today=clock.today(),
            )
        except changes.Refused as refused:
            problem = str(refused)
        else:
            if outcome == ReviewOutcome.CANCEL:
                flash("Your review has been recorded. Now cancel the authorisation.", "success")
                return redirect(url_for("authorisations.cancel", application_id=application.id))
            flash("Your review has been recorded", "success")
            return _show(application)
    elif request.method == "GET":
        form.next_interval_days.data = application.review_interval_days
    return _page(
        "authorisations/review.html",
        application,
        form,
        problem,
        due=lifecycle.next_review(application),
    )


@bp.route("/<int:application_id>/renewal", methods=["GET", "POST"])
@roles_required(Role.OFFICER)
def request_renewal(application_id: int):
    application = application_for_reading(application_id)
    if application.officer_id != current_user.id:
        abort(403)
    form = RenewalRequestForm()
    problem = None
    if form.validate_on_submit():
        try:
            lifecycle.request_renewal(
                db.session(),
                current_user,
                application,
                reasons=form.reasons.data,
                obtained_so_far=form.obtained_so_far.data,
                version=version_seen(),
                today=clock.today(),
                now=clock.now(),
            )
        except changes.Refused as refused:
            problem = str(refused)
        else:
            flash("Your request for a renewal has gone to the authorising officers", "success")
            return _show(application)
    return _page("authorisations/renewal_request.html", application, form, problem)


@bp.route("/<int:application_id>/renewals/<int:renewal_id>/decide", methods=["GET", "POST"])
@roles_required(*DECIDERS)
def decide_renewal(application_id: int, renewal_id: int):
    application = application_for_reading(application_id)
    renewal = _renewal(application, renewal_id)
    form = RenewalDecisionForm()
    form.application_answers = application.answers
    problem = None
    if form.validate_on_submit():
        try:
            lifecycle.decide_renewal(
                db.session(),
                current_user,
                application,
                renewal=renewal,
                **_decision_answers(form),
            )
        except changes.InputProblem as bad:
            problem = _beside_field(form, bad)
        except changes.Refused as refused:
            problem = str(refused)
        else:
            flash(f"Your decision on renewal {renewal.number} has been recorded", "success")
            return _show(application)
    elif request.method == "GET":
        form.review_interval_days.data = application.review_interval_days
    return _page("authorisations/decide.html", application, form, problem, renewal=renewal)


@bp.route("/<int:application_id>/renewals/<int:renewal_id>/court", methods=["GET", "POST"])
@roles_required(*lifecycle.COURT_RECORDERS)
def renewal_court(application_id: int, renewal_id: int):
    application = application_for_reading(application_id)
    renewal = _renewal(application, renewal_id)
    return _court(application, renewal)


@bp.route("/<int:application_id>/cancel", methods=["GET", "POST"])
@roles_required(*DECIDERS)
def cancel(application_id: int):
    application = application_for_reading(application_id)
    form = CancellationForm()
    problem = None
    if form.validate_on_submit():
        try:
            lifecycle.cancel_authorisation(
                db.session(),
                current_user,
                application,
                reason=form.reason.data,
                obtained=form.obtained.data,
                handling=form.handling.data,
                stop_instructed_at=form.stop_instructed_at,
                version=version_seen(),
                today=clock.today(),
                acting_for_unavailable=form.acting_for_unavailable.data == "yes",
                acting_reason=form.acting_reason.data or "",
                same_or_senior_rank=form.same_or_senior_rank.data == "yes",
            )
        except changes.InputProblem as bad:
            if not add_field_error(form, bad):
                problem = str(bad)
        except changes.Refused as refused:
            problem = str(refused)
        else:
            flash(f"{application.urn} has been cancelled", "success")
            return _show(application)
    grantor = application.grantor_decision
    return _page(
        "authorisations/cancel.html",
        application,
        form,
        problem,
        grantor=grantor,
        is_grantor=grantor is None or grantor.decided_by_id == current_user.id,
    )
