"""The application for a directed surveillance authorisation: pages, subjects, submission."""

from __future__ import annotations

from functools import partial

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

from ripa_guard.accounts.auth import roles_required
from ripa_guard.accounts.models import Role
from ripa_guard.applications import drafting, lifecycle
from ripa_guard.applications.access import (
    OVERSIGHT,
    WHOLE_HISTORY,
    application_for_owner,
    application_for_reading,
)
from ripa_guard.applications.forms import ChangeSubjectForm, SubjectForm, offence_form
from ripa_guard.applications.pages import (
    RegisterWhenRead,
    definition,
    handle_page,
    offence_register,
    viewing_log_of,
)
from ripa_guard.core import audit, changes, clock, db, read_log
from ripa_guard.core.fields import ConfirmForm
from ripa_guard.core.records import refusal, version_seen
from ripa_guard.law.profiles import BadAddress, parse_addresses

bp = Blueprint("applications", __name__, url_prefix="/applications")

SUBJECTS = "subjects"


@bp.app_template_global()
def offences_of(application) -> list[dict]:
    """Every offence the application names, for any page that shows it (drafting.offences_named)."""
    return drafting.offences_named(application, RegisterWhenRead(), clock.today())


def _editable_or_redirect(application):
    if not application.is_editable:
        flash(f"This application is {application.status.title.lower()} and cannot be changed")
        return redirect(url_for("applications.show", application_id=application.id))
    return None


def _after_save(application, slug: str, draft: bool):
    if draft:
        flash("Your application has been saved as a draft", "success")
        return redirect(url_for("main.dashboard"))
    following = definition("application").next_page(slug)
    if following is None:
        return redirect(url_for("applications.check", application_id=application.id))
    return redirect(
        url_for("applications.page", application_id=application.id, slug=following.slug)
    )


def _back(application, slug: str) -> str:
    previous = definition("application").previous_page(slug)
    if previous is None:
        return url_for("requests.outcome", triage_id=application.triage_id)
    return url_for("applications.page", application_id=application.id, slug=previous.slug)


@bp.route("/<int:application_id>/<slug>", methods=["GET", "POST"])
@roles_required(Role.OFFICER)
def page(application_id: int, slug: str):
    application = application_for_owner(application_id)
    page = definition("application").page(slug) or abort(404)
    if (stop := _editable_or_redirect(application)) is not None:
        return stop
    if slug == SUBJECTS:
        return _subjects(application, page)
    if slug == drafting.OFFENCES:
        return _offences(application, page)
    result = handle_page(page, application.answers)
    if result.answers is not None:
        try:
            drafting.save_application_answers(
                db.session(), current_user, application, result.answers, version_seen()
            )
        except changes.InputProblem as bad:
            # By the question it is about, with what was typed kept.
            field = getattr(result.form, bad.field, None)
            if field is not None:
                field.errors = [*field.errors, str(bad)]
            else:
                result.form.form_errors.append(str(bad))
        except changes.Refused as refused:
            result.form.form_errors.append(str(refused))
            flash(str(refused))
        else:
            return _after_save(application, slug, result.draft)
    return render_template(
        "applications/page.html",
        form=result.form,
        page=page,
        application=application,
        back=_back(application, slug),
    )


def _save_subject(form, save, done: str) -> bool:
    """Save a valid subject form with `save(**fields)`; False, with the message by the web
    addresses, when one of them is not one."""
    try:
        profiles = parse_addresses(form.profiles.data)
    except BadAddress as bad:
        form.profiles.errors.append(str(bad))
        return False
    try:
        save(
            name=form.name.data,
            description=form.description.data,
            profiles=profiles,
            version=version_seen(),
        )
    except changes.Refused as refused:
        flash(str(refused))
    else:
        flash(f"{form.name.data} has been {done}", "success")
    return True


def _subjects(application, page):
    form = SubjectForm()
    if form.validate_on_submit():
        add = partial(drafting.add_subject, db.session(), current_user, application)
        if _save_subject(form, add, "added"):
            return redirect(
                url_for("applications.page", application_id=application.id, slug=page.slug)
            )
    return render_template(
        "applications/subjects.html",
        form=form,
        page=page,
        application=application,
        back=_back(application, page.slug),
        next_url=_after_save_url(application, page.slug),
        remove_form=ConfirmForm(),
    )


def _offences(application, page):
    register = offence_register()
    form = offence_form(register)
    if request.method == "GET":
        # Start with the first offence still waiting for its facts, as the triage named it.
        facts = application.offence_facts or {}
        form.offence.data = next(
            (c for c in application.offence_codes or [] if not facts.get(c)), None
        )
    if form.validate_on_submit():
        try:
            drafting.add_offence(
                db.session(),
                current_user,
                application,
                form.offence.data,
                form.facts.data,
                register,
                version_seen(),
            )
        except changes.InputProblem as bad:
            getattr(form, bad.field).errors.append(str(bad))
        except changes.Refused as refused:
            flash(str(refused))
            return redirect(
                url_for("applications.page", application_id=application.id, slug=page.slug)
            )
        else:
            flash(f"{register[form.offence.data].title} has been added", "success")
            return redirect(
                url_for("applications.page", application_id=application.id, slug=page.slug)
            )
    return render_template(
        "applications/offences.html",
        form=form,
        page=page,
        application=application,
        offences=register,
        named=offences_of(application),
        back=_back(application, page.slug),
        next_url=_after_save_url(application, page.slug),
    )


@bp.route("/<int:application_id>/offences/<code>/remove", methods=["POST"])
@roles_required(Role.OFFICER)
def remove_offence(application_id: int, code: str):
    application = application_for_owner(application_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        drafting.remove_offence(db.session(), current_user, application, code, version_seen())
    except changes.Refused as refused:
        flash(str(refused))
    else:
        flash("The offence has been removed", "success")
    return redirect(
        url_for("applications.page", application_id=application.id, slug=drafting.OFFENCES)
    )


def _after_save_url(application, slug: str) -> str:
    following = definition("application").next_page(slug)
    if following is None:
        return url_for("applications.check", application_id=application.id)
    return url_for("applications.page", application_id=application.id, slug=following.slug)


@bp.route("/<int:application_id>/subjects/<int:subject_id>/change", methods=["GET", "POST"])
@roles_required(Role.OFFICER)
def change_subject(application_id: int, subject_id: int):
    application = application_for_owner(application_id)
    if (stop := _editable_or_redirect(application)) is not None:
        return stop
    subject = next((s for s in application.subjects if s.id == subject_id), None) or abort(404)
    form = ChangeSubjectForm()
    if request.method == "GET":
        form.name.data, form.description.data = subject.name, subject.description
        form.profiles.data = "\n".join(p["url"] for p in subject.profiles)
    if form.validate_on_submit():
        change = partial(
            drafting.change_subject, db.session(), current_user, application, subject.id
        )
        if _save_subject(form, change, "changed"):
            return redirect(
                url_for("applications.page", application_id=application.id, slug=SUBJECTS)
            )
    return render_template(
        "applications/subject_change.html",
        form=form,
        application=application,
        subject=subject,
        back=url_for("applications.page", application_id=application.id, slug=SUBJECTS),
    )


@bp.route("/<int:application_id>/subjects/<int:subject_id>/remove", methods=["POST"])
@roles_required(Role.OFFICER)
def remove_subject(application_id: int, subject_id: int):
    application = application_for_owner(application_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        drafting.remove_subject(db.session(), current_user, application, subject_id, version_seen())
    except changes.Refused as refused:
        flash(str(refused))
    else:
        flash("The subject has been removed", "success")
    return redirect(url_for("applications.page", application_id=application.id, slug=SUBJECTS))


@bp.route("/<int:application_id>/check", methods=["GET", "POST"])
@roles_required(Role.OFFICER)
def check(application_id: int):
    application = application_for_owner(application_id)
    if (stop := _editable_or_redirect(application)) is not None:
        return stop
    form_def = definition("application")
    form = ConfirmForm()
    problem = None
    if form.validate_on_submit():
        problem = refusal(
            lambda: drafting.submit_application(
                db.session(),
                current_user,
                application,
                definition=form_def,
                register=offence_register(),
                urn_prefix=current_app.config["URN_PREFIX"],
                version=version_seen(),
            )
        )
        if problem is None:
            return redirect(url_for("applications.submitted", application_id=application.id))
    return render_template(
        "applications/check.html",
        application=application,
        definition=form_def,
        missing=drafting.missing_answers(application, form_def, offence_register()),
        confirm=form,
        problem=problem,
        offences=offence_register(),
    )


@bp.route("/<int:application_id>/submitted")
@roles_required(Role.OFFICER)
def submitted(application_id: int):
    application = application_for_owner(application_id)
    if application.urn is None:
        return redirect(url_for("applications.check", application_id=application.id))
    return render_template("applications/submitted.html", application=application)


@bp.route("/<int:application_id>")
@roles_required(Role.OFFICER, *OVERSIGHT)
def show(application_id: int):
    application = application_for_reading(application_id, WHOLE_HISTORY)
    read_log.note("application", application.id)
    return render_template(
        "applications/show.html",
        application=application,
        definition=definition("application"),
        offences=RegisterWhenRead(),
        history=audit.history(db.session(), "application", application.id),
        withdraw_form=ConfirmForm(),
        today=clock.today(),
        next_review=lifecycle.next_review(application),
        papers_url=_papers_url(application),
        viewing_log=viewing_log_of(application),
    )


def _papers_url(application) -> str | None:
    # The court papers blueprint may not offer papers for every state.
    endpoint = "papers.court_papers"
    if endpoint not in current_app.view_functions:
        return None
    return url_for(endpoint, application_id=application.id)


@bp.route("/<int:application_id>/withdraw", methods=["POST"])
@roles_required(Role.OFFICER)
def withdraw(application_id: int):
    application = application_for_owner(application_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        drafting.withdraw_application(db.session(), current_user, application, version_seen())
    except changes.Refused as refused:
        flash(str(refused))
    else:
        flash("The application has been withdrawn", "success")
    return redirect(url_for("applications.show", application_id=application.id))
