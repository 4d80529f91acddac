"""Decisions, the magistrate, reviews, renewals and cancellation of an authorisation."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from ripa_guard.accounts.auth import roles_required
from ripa_guard.accounts.models import Role
from ripa_guard.applications import lifecycle
from ripa_guard.applications.access import application_for_reading
from ripa_guard.applications.authorisation_forms import (
    CancellationForm,
    CourtHearingForm,
    DecisionForm,
    RenewalDecisionForm,
    RenewalRequestForm,
    ReviewForm,
)
from ripa_guard.applications.models import (
    Application,
    ApplicationStatus,
    CourtOutcome,
    Decision,
    Renewal,
    RenewalStatus,
    ReviewOutcome,
)
from ripa_guard.applications.pages import definition, offence_register
from ripa_guard.core import changes, clock, db
from ripa_guard.core.records import version_seen

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
        **extra,
    )


@bp.route("/decisions")
@roles_required(*DECIDERS)
def queue():
    """Applications and renewals waiting for an authorising officer, oldest first."""
    s = db.session()
    applications = s.scalars(
        select(Application)
        .where(Application.status == ApplicationStatus.SUBMITTED)
        .order_by(Application.submitted_at)
    ).all()
    renewals = s.scalars(
        select(Renewal)
        .where(Renewal.status == RenewalStatus.REQUESTED)
        .order_by(Renewal.requested_at)
    ).all()
    owners = {
        a.id: a
        for a in s.scalars(
            select(Application).where(Application.id.in_([r.application_id for r in renewals]))
        ).all()
    }
    return render_template(
        "authorisations/queue.html",
        applications=applications,
        renewals=[(r, owners[r.application_id]) for r in renewals],
    )


@bp.route("/<int:application_id>/decide", methods=["GET", "POST"])
@roles_required(*DECIDERS)
def decide(application_id: int):
    application = application_for_reading(application_id)
    form = DecisionForm()
    problem = None
    if form.validate_on_submit():
        try:
            lifecycle.decide_application(
                db.session(),
                current_user,
                application,
                Decision(form.decision.data),
                form.what_authorised.data or "",
                form.reasons.data,
                form.review_interval_days.data,
                form.directly_involved.data == "yes",
                form.directly_involved_reason.data or "",
                version_seen(),
            )
        except changes.Refused as refused:
            problem = str(refused)
        else:
            flash(f"Your decision on {application.urn} has been recorded", "success")
            return _show(application)
    elif request.method == "GET":
        form.review_interval_days.data = _default_interval()
    return _page("authorisations/decide.html", application, form, problem)


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
        hearing = (
            form.court.data,
            form.hearing_date.data,
            form.magistrate.data,
            CourtOutcome(form.outcome.data),
            form.decided_at,
            form.notes.data or "",
            version_seen(),
        )
        try:
            if renewal is None:
                lifecycle.record_court_decision(db.session(), current_user, application, *hearing)
            else:
                lifecycle.record_renewal_court_decision(
                    db.session(), current_user, application, renewal, *hearing
                )
        except changes.Refused as refused:
            problem = str(refused)
        else:
            on = "" if renewal is None else " on the renewal"
            flash(f"The magistrate's decision{on} has been recorded", "success")
            return _show(application)
    return _page("authorisations/court.html", application, form, problem, renewal=renewal)


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
                outcome,
                form.reasons.data,
                form.next_interval_days.data,
                version_seen(),
                clock.today(),
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
                form.reasons.data,
                form.obtained_so_far.data,
                version_seen(),
                clock.today(),
                clock.now(),
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
    problem = None
    if form.validate_on_submit():
        try:
            lifecycle.decide_renewal(
                db.session(),
                current_user,
                application,
                renewal,
                Decision(form.decision.data),
                form.what_authorised.data or "",
                form.reasons.data,
                form.review_interval_days.data,
                form.directly_involved.data == "yes",
                form.directly_involved_reason.data or "",
                version_seen(),
            )
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
                form.reason.data,
                form.obtained.data,
                form.handling.data,
                form.stop_instructed_at,
                version_seen(),
                clock.today(),
            )
        except changes.Refused as refused:
            problem = str(refused)
        else:
            flash(f"{application.urn} has been cancelled", "success")
            return _show(application)
    return _page("authorisations/cancel.html", application, form, problem)
