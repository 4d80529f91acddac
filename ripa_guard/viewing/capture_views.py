"""The captured material register: recording a capture from a viewing's page, the register
with its filters, each capture's page with its review and destruction, and its file.

Seen by who may see the capture's investigation: the officers on it, the SRO and the RIPA
coordinator. Other roles get 403; an officer not on the investigation gets the same 404 as for
a capture that does not exist (viewing/investigations.py, issue 15).
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from ripa_guard.accounts.auth import roles_required
from ripa_guard.accounts.models import Role
from ripa_guard.core import changes, clock, db, read_log
from ripa_guard.core.fields import add_field_error, whole_number
from ripa_guard.core.records import record_or_404
from ripa_guard.core.request_size import LARGE_BODIES
from ripa_guard.law import material
from ripa_guard.viewing import capture_register, capture_retention, captures
from ripa_guard.viewing.capture_forms import CaptureForm, DestroyForm, ReviewForm
from ripa_guard.viewing.investigations import my_investigations
from ripa_guard.viewing.models import Channel, Viewing

bp = Blueprint("captures", __name__, url_prefix="/captures")

READERS = (Role.OFFICER, Role.SRO, Role.COORDINATOR)


@bp.record_once
def _take_large_files(state) -> None:
    most = int(state.app.config.get("CAPTURE_MAX_MB") or 20) * 1024 * 1024
    LARGE_BODIES["captures.new"] = most + captures.FORM_ROOM


def _capture_or_404(capture_id: int):
    found = captures.capture_for(db.session(), current_user, capture_id)
    if found is None:
        abort(404)
    return found


def _own_viewing(viewing_id: int) -> Viewing:
    return record_or_404(Viewing, viewing_id, lambda v: v.officer_id == current_user.id)


@bp.route("/")
@roles_required(*READERS)
def index():
    wanted = request.args.get("standing", "")
    wanted = wanted if wanted in capture_register.FILTERS else ""
    investigation_id = whole_number(request.args.get("investigation", ""))
    s = db.session()
    today = clock.today()
    return render_template(
        "captures/index.html",
        captures=capture_register.register(s, current_user, today, wanted, investigation_id),
        investigations=my_investigations(s, current_user),
        filters=capture_register.FILTERS,
        wanted=wanted,
        investigation_id=investigation_id,
        standing_of=lambda c: capture_register.standing_of(c, today),
        citation=material.CITATION,
    )


@bp.route("/for-viewing/<int:viewing_id>", methods=["GET", "POST"])
@roles_required(Role.OFFICER)
def new(viewing_id: int):
    viewing = _own_viewing(viewing_id)
    form = CaptureForm()
    if request.method == "GET":
        form.address.data = viewing.url
        form.kind.data = "screenshot"
    problem = None
    if form.validate_on_submit():
        s = db.session()
        settings = captures.Settings.from_app()
        file = form.file.data
        given = captures.CaptureGiven(
            sha256=form.sha256.data or "",
            kind=form.kind.data,
            address=form.address.data,
            captured_at=form.captured_at,
            kept_at=form.kept_at.data or "",
            media_type=getattr(file, "mimetype", "") or "",
        )
        try:
            if file and getattr(file, "filename", ""):
                capture, created = captures.receive_capture(
                    s, current_user, viewing, given, file.stream, clock.now(), settings, Channel.WEB
                )
            else:
                capture, created = captures.record_capture(
                    s, current_user, viewing, given, clock.now(), settings, Channel.WEB
                )
        except changes.InputProblem as bad:
            for field, message in (getattr(bad, "fields", None) or {bad.field: str(bad)}).items():
                if not add_field_error(form, changes.InputProblem(field, message)):
                    problem = message
        except changes.Refused as refused:
            problem = str(refused)
        else:
            flash(
                "The capture has been recorded" if created else "That capture was already recorded",
                "success",
            )
            return redirect(url_for("captures.show", capture_id=capture.id))
    return render_template("captures/new.html", form=form, viewing=viewing, problem=problem)


def _page(capture, review_form=None, destroy_form=None, problem=None):
    review_form = review_form or ReviewForm(formdata=None)
    destroy_form = destroy_form or DestroyForm(formdata=None)
    return render_template(
        "captures/show.html",
        capture=capture,
        standing=capture_register.standing_of(capture, clock.today()),
        review_form=review_form,
        destroy_form=destroy_form,
        form=review_form if review_form.errors else destroy_form,
        problem=problem,
    )


@bp.route("/<int:capture_id>")
@roles_required(*READERS)
def show(capture_id: int):
    capture = _capture_or_404(capture_id)
    read_log.note("capture", capture.id)
    return _page(capture)


@bp.route("/<int:capture_id>/review", methods=["POST"])
@roles_required(*READERS)
def review(capture_id: int):
    capture = _capture_or_404(capture_id)
    form = ReviewForm()
    if form.validate_on_submit():
        try:
            capture_retention.review_capture(
                db.session(),
                current_user,
                capture,
                form.result.data,
                form.reason.data,
                form.keep_until.data,
                clock.today(),
                captures.Settings.from_app(),
            )
        except changes.InputProblem as bad:
            if not add_field_error(form, bad):
                return _page(capture, review_form=form, problem=str(bad))
        except changes.Refused as refused:
            return _page(capture, review_form=form, problem=str(refused))
        else:
            flash("The review has been recorded", "success")
            return redirect(url_for("captures.show", capture_id=capture.id))
    return _page(capture, review_form=form)


@bp.route("/<int:capture_id>/destroy", methods=["POST"])
@roles_required(*READERS)
def destroy(capture_id: int):
    capture = _capture_or_404(capture_id)
    form = DestroyForm()
    if form.validate_on_submit():
        try:
            capture_retention.destroy_capture(
                db.session(), current_user, capture, form.method.data, captures.Settings.from_app()
            )
        except changes.InputProblem as bad:
            if not add_field_error(form, bad):
                return _page(capture, destroy_form=form, problem=str(bad))
        except changes.Refused as refused:
            return _page(capture, destroy_form=form, problem=str(refused))
        else:
            flash("The destruction has been recorded", "success")
            return redirect(url_for("captures.show", capture_id=capture.id))
    return _page(capture, destroy_form=form)


@bp.route("/<int:capture_id>/file")
@roles_required(*READERS)
def file(capture_id: int):
    capture = _capture_or_404(capture_id)
    path = capture_retention.file_of(capture, captures.Settings.from_app())
    if path is None:
        abort(404)
    read_log.note("capture_file", capture.id)
    return send_file(
        path,
        mimetype=capture.media_type or "application/octet-stream",
        as_attachment=True,
        download_name=f"capture-{capture.id}-{capture.sha256[:12]}",
        max_age=0,
    )
