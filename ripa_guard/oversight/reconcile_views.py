"""The SRO's page for checking a proxy log against the viewing log, and each run's result.

Only the SRO: the log shows everything officers browsed, far beyond the viewing log.
"""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_login import current_user

from ripa_guard.accounts.auth import roles_required
from ripa_guard.accounts.models import Role
from ripa_guard.core import clock, db
from ripa_guard.core.changes import InputProblem, Refused
from ripa_guard.core.records import record_or_404
from ripa_guard.core.request_size import LARGE_BODIES
from ripa_guard.oversight import reconciliation
from ripa_guard.oversight.forms import ReconcileForm
from ripa_guard.oversight.reconciliation_models import ReconciliationRun

bp = Blueprint("reconcile", __name__, url_prefix="/oversight/reconcile")

#: Room for the users file and the form's other fields beside the log itself.
_FORM_ROOM = reconciliation.USERS_FILE_MAX + 64 * 1024


@bp.record_once
def _upload_limit(state) -> None:
    # Read by the CSRF check before the view runs: the page's own limit, from the setting.
    LARGE_BODIES["reconcile.upload"] = state.app.config["RECONCILE_UPLOAD_MAX_BYTES"] + _FORM_ROOM


def _page(form, problem=None, status=200):
    runs = reconciliation.runs(db.session())
    limit_mb = current_app.config["RECONCILE_UPLOAD_MAX_BYTES"] // (1024 * 1024)
    return (
        render_template(
            "oversight/reconcile_upload.html",
            form=form,
            problem=problem,
            runs=runs,
            limit_mb=limit_mb,
        ),
        status,
    )


@bp.route("/", methods=["GET", "POST"])
@roles_required(Role.SRO)
def upload():
    limit = current_app.config["RECONCILE_UPLOAD_MAX_BYTES"]
    if (request.content_length or 0) > limit + _FORM_ROOM:
        form = ReconcileForm(formdata=None)
        form.file.errors = [f"The log must be smaller than {limit // (1024 * 1024)} MB"]
        return _page(form, status=413)
    form = ReconcileForm()
    if not form.validate_on_submit():
        return _page(form)
    log, users = form.file.data, form.users.data
    try:
        run = reconciliation.reconcile_upload(
            db.session(),
            current_user,
            log.stream,
            file_name=log.filename or "",
            file_format=form.file_format.data,
            users=(users.filename or "", users.read()) if users else None,
            config=current_app.config,
            today=clock.today(),
        )
    except InputProblem as problem:
        getattr(form, problem.field).errors = [str(problem)]
        return _page(form)
    except Refused as refused:
        return _page(form, problem=str(refused))
    return redirect(url_for(".show", run_id=run.id))


@bp.route("/<int:run_id>")
@roles_required(Role.SRO)
def show(run_id: int):
    run = record_or_404(ReconciliationRun, run_id)
    s = db.session()
    return render_template(
        "oversight/reconcile_run.html",
        run=run,
        by_officer=list(reconciliation.totals_by_service(s, run)),
        rows=reconciliation.unlogged_by_service(s, run),
    )
