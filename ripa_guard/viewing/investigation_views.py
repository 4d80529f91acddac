"""Investigations: an officer's own list, opening one, its page, its officers and closing it;
the RIPA coordinator's queue of held looks and their decisions; each service's case reference
format. An investigation the person may not see is a 404, the same as one that does not exist."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from ripa_guard.accounts import training
from ripa_guard.accounts.auth import roles_required
from ripa_guard.accounts.models import Role
from ripa_guard.core import changes, clock, db
from ripa_guard.core.fields import whole_number
from ripa_guard.core.records import record_or_404
from ripa_guard.viewing import held as held_looks
from ripa_guard.viewing import investigations
from ripa_guard.viewing.investigation_forms import (
    AddOfficerForm,
    CloseInvestigationForm,
    HeldLookDecisionForm,
    OpenInvestigationForm,
    ReferenceFormatForm,
)
from ripa_guard.viewing.models import HeldLook
from ripa_guard.viewing.views import add_error as _add_error

bp = Blueprint("investigations", __name__, url_prefix="/investigations")

OVERSIGHT = (Role.SRO, Role.COORDINATOR)


def _investigation_or_404(investigation_id: int):
    found = investigations.investigation_for(db.session(), current_user, investigation_id)
    if found is None:
        abort(404)
    return found


def _colleague_choices(exclude=()) -> list[SelectChoice]:
    people = investigations.officers_of_service(db.session(), current_user.service)
    return [SelectChoice(str(i), name) for i, name in people if i not in exclude]


@bp.route("/")
@roles_required(Role.OFFICER, *OVERSIGHT)
def index():
    return render_template(
        "investigations/index.html",
        investigations=investigations.listed(db.session(), current_user),
        oversees=investigations.oversees(current_user),
    )


@bp.route("/new", methods=["GET", "POST"])
@roles_required(Role.OFFICER)
def new():
    s = db.session()
    form = OpenInvestigationForm()
    form.officers.choices = _colleague_choices(exclude={current_user.id})
    template = investigations.reference_format(s, current_user.service)
    if template:
        form.reference.description = (
            f"In your service's format, {template}: for example "
            f"{investigations.example_reference(template, clock.today().year)}"
        )
    problem = None
    if form.validate_on_submit():
        try:
            opened = investigations.open_investigation(
                s,
                current_user,
                reference=form.reference.data,
                title=form.title.data,
                offences=form.offences.data,
                subjects=investigations.parse_subjects(form.subjects.data or ""),
                officer_ids=[whole_number(v) for v in form.officers.data or []],
                today=clock.today(),
            )
        except changes.InputProblem as bad:
            if not _add_error(form, bad):
                problem = str(bad)
        except changes.Refused as refused:
            problem = str(refused)
        else:
            flash(f"Investigation {opened.reference} opened", "success")
            return redirect(url_for("investigations.show", investigation_id=opened.id))
    return render_template(
        "investigations/new.html",
        form=form,
        problem=problem,
        untrained=training.officer_training_block(s, current_user, clock.today()),
    )


def _page(investigation, add_form=None, problem=None):
    works_on = investigation.has_officer(current_user)
    add_form = add_form or AddOfficerForm()
    add_form.officer.choices = [SelectChoice("", "Select an officer")] + _colleague_choices(
        exclude={u.id for u in investigation.officers}
    )
    return render_template(
        "investigations/show.html",
        investigation=investigation,
        records=investigations.records_of(
            db.session(), investigation, after=whole_number(request.args.get("after"))
        ),
        works_on=works_on,
        add_form=add_form,
        form=add_form if add_form.errors else None,
        problem=problem,
    )


@bp.route("/<int:investigation_id>")
@roles_required(Role.OFFICER, *OVERSIGHT)
def show(investigation_id: int):
    return _page(_investigation_or_404(investigation_id))


@bp.route("/<int:investigation_id>/officers", methods=["POST"])
@roles_required(Role.OFFICER)
def add_officer(investigation_id: int):
    investigation = _investigation_or_404(investigation_id)
    form = AddOfficerForm()
    form.officer.choices = [SelectChoice("", "Select an officer")] + _colleague_choices(
        exclude={u.id for u in investigation.officers}
    )
    if form.validate_on_submit():
        try:
            investigations.add_officer(
                db.session(), current_user, investigation, whole_number(form.officer.data)
            )
        except changes.InputProblem as bad:
            _add_error(form, bad)
        except changes.Refused as refused:
            return _page(investigation, form, problem=str(refused))
        else:
            flash("Officer added", "success")
            return redirect(url_for("investigations.show", investigation_id=investigation.id))
    return _page(investigation, form)


@bp.route("/<int:investigation_id>/officers/<int:user_id>/remove", methods=["POST"])
@roles_required(Role.OFFICER)
def remove_officer(investigation_id: int, user_id: int):
    investigation = _investigation_or_404(investigation_id)
    try:
        investigations.remove_officer(db.session(), current_user, investigation, user_id)
    except changes.Refused as refused:
        return _page(investigation, problem=str(refused))
    flash("Officer removed", "success")
    return redirect(url_for("investigations.show", investigation_id=investigation.id))


@bp.route("/<int:investigation_id>/close", methods=["GET", "POST"])
@roles_required(Role.OFFICER)
def close(investigation_id: int):
    investigation = _investigation_or_404(investigation_id)
    form = CloseInvestigationForm()
    problem = None
    if form.validate_on_submit():
        try:
            investigations.close_investigation(
                db.session(), current_user, investigation, form.reason.data, clock.now()
            )
        except changes.InputProblem as bad:
            _add_error(form, bad)
        except changes.Refused as refused:
            problem = str(refused)
        else:
            flash(f"Investigation {investigation.reference} closed", "success")
            return redirect(url_for("investigations.show", investigation_id=investigation.id))
    return render_template(
        "investigations/close.html", investigation=investigation, form=form, problem=problem
    )


# Looks held for the RIPA coordinator -----------------------------------------------------------


@bp.route("/held-looks/<int:held_id>")
@roles_required(Role.OFFICER, *OVERSIGHT)
def held_look(held_id: int):
    """The officer's own held look: it waits for the coordinator, and says nothing of the other
    investigation. The coordinator and SRO see the earlier looks too."""
    held = db.session().get(HeldLook, held_id)
    oversees = investigations.oversees(current_user)
    if held is None or not (oversees or held.officer_id == current_user.id):
        abort(404)
    return render_template(
        "investigations/held_look.html",
        held=held,
        earlier=held_looks.earlier_of(db.session(), held) if oversees else [],
        oversees=oversees,
        form=HeldLookDecisionForm() if current_user.has_role(Role.COORDINATOR) else None,
        problem=None,
    )


#: Held looks listed on the queue at a time, the longest held first; the rest are counted.
HELD_SHOWN = 200


@bp.route("/held-looks")
@roles_required(*OVERSIGHT)
def held_queue():
    s = db.session()
    return render_template(
        "investigations/held_queue.html",
        waiting=held_looks.pending(s, limit=HELD_SHOWN),
        waiting_total=held_looks.pending_count(s),
        decided=held_looks.decided(s),
    )


@bp.route("/held-looks/<int:held_id>/decision", methods=["POST"])
@roles_required(Role.COORDINATOR)
def decide_held_look(held_id: int):
    s = db.session()
    held = record_or_404(HeldLook, held_id)
    form = HeldLookDecisionForm()
    problem = None
    if form.validate_on_submit():
        try:
            held_looks.decide_held_look(s, current_user, held, form.ruling.data, form.reason.data)
        except changes.InputProblem as bad:
            _add_error(form, bad)
        except changes.Refused as refused:
            problem = str(refused)
        else:
            flash("Decision recorded. The officer may log the viewing again.", "success")
            return redirect(url_for("investigations.held_queue"))
    return render_template(
        "investigations/held_look.html",
        held=held,
        earlier=held_looks.earlier_of(s, held),
        oversees=True,
        form=form,
        problem=problem,
    )


# Case reference formats and the migration's report ---------------------------------------------


@bp.route("/formats", methods=["GET", "POST"])
@roles_required(*OVERSIGHT)
def formats():
    s = db.session()
    form = ReferenceFormatForm()
    form.service.choices = [SelectChoice("", "Select a service")] + [
        SelectChoice(n, n) for n in investigations.services(s)
    ]
    problem = None
    if request.method == "POST":
        if not current_user.has_role(Role.COORDINATOR):
            abort(403)
        if form.validate_on_submit():
            try:
                investigations.set_reference_format(
                    s, current_user, form.service.data, form.template.data or ""
                )
            except changes.InputProblem as bad:
                _add_error(form, bad)
            except changes.Refused as refused:
                problem = str(refused)
            else:
                flash(f"Case reference format saved for {form.service.data}", "success")
                return redirect(url_for("investigations.formats"))
    return render_template(
        "investigations/formats.html",
        form=form,
        formats=investigations.reference_formats(s),
        can_set=current_user.has_role(Role.COORDINATOR),
        problem=problem,
    )


@bp.route("/migration-report")
@roles_required(*OVERSIGHT)
def migration_report():
    return render_template(
        "investigations/migration_report.html",
        reports=investigations.migration_reports(db.session()),
    )
