"""The offence register, as officers, the coordinator and authorising officers read it; and the
plans held for the coordinator because their offence is not in it."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user

from ripa_guard.accounts.auth import roles_required
from ripa_guard.accounts.models import Role
from ripa_guard.applications import offence_holds
from ripa_guard.applications.forms import HeldOffenceForm
from ripa_guard.applications.models import Triage
from ripa_guard.applications.pages import offence_register
from ripa_guard.core import changes, db
from ripa_guard.core.records import version_seen
from ripa_guard.law import threshold, triage

bp = Blueprint("offences", __name__, url_prefix="/offences")


@bp.route("/")
@roles_required(Role.OFFICER, Role.COORDINATOR, Role.SRO, Role.AUTHORISING_OFFICER)
def index():
    rows = [(o, threshold.verdict_for_offence(o)) for o in offence_register().values()]
    held = offence_holds.held_plans(db.session()) if current_user.has_role(Role.COORDINATOR) else []
    shipped = current_app.extensions["ripa_guard.offences"]
    return render_template(
        "offences/index.html",
        rows=rows,
        citation=threshold.CITATION,
        held=held,
        shipped=shipped,
        description=triage.UNLISTED_DESCRIPTION,
    )


@bp.route("/held/<int:triage_id>", methods=["GET", "POST"])
@roles_required(Role.COORDINATOR)
def held(triage_id: int):
    record = db.session().get(Triage, triage_id) or abort(404)
    if not record.is_held:
        flash("This plan is not waiting for the offence register.")
        return redirect(url_for("offences.index"))
    form = HeldOffenceForm()
    problem = None
    if form.validate_on_submit():
        fields = {
            name: getattr(form, name).data or ""
            for name in (
                "code",
                "title",
                "act",
                "section",
                "max_custodial_months",
                "threshold_exception",
                "source",
            )
        }
        try:
            offence_holds.resolve_held_plan(
                db.session(),
                current_user,
                record,
                offence_register(),
                add=form.decision.data == "add",
                fields=fields,
                reason=form.reason.data or "",
                version=version_seen(),
            )
        except changes.InputProblem as bad:
            field = getattr(form, bad.field, None)
            if field is None:
                problem = str(bad)
            else:
                field.errors = [*field.errors, str(bad)]
        except changes.Refused as refused:
            problem = str(refused)
        else:
            flash("The plan has its outcome, and the officer can see it", "success")
            return redirect(url_for("offences.index"))
    form.version.data = str(record.version)
    return render_template(
        "offences/held.html",
        record=record,
        form=form,
        problem=problem,
        description=record.answers.get(triage.UNLISTED_DESCRIPTION, ""),
    )
