"""The SRO's oversight: training, the non-RIPA register, errors, the members' report, inspection.

Who reads what: the SRO and the RIPA coordinator run oversight; authorising officers see and
decide on the non-RIPA register; inspectors read what an inspection asks for (the inspection
page, training, errors, the non-RIPA register and its extract, policy reviews) and change
nothing. Every write is the SRO's (training also the coordinator's), except that an officer
records their own non-RIPA activity and may close it.
"""

from __future__ import annotations

import tempfile

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from ripa_guard.accounts import training, users
from ripa_guard.accounts.auth import roles_required
from ripa_guard.accounts.models import Role, User
from ripa_guard.applications.access import triage_for_owner
from ripa_guard.applications.models import Outcome
from ripa_guard.core import audit, changes, clock, db
from ripa_guard.core.fields import whole_number
from ripa_guard.core.records import record_or_404, refusal, version_seen
from ripa_guard.council import policy as council_policy
from ripa_guard.oversight import non_ripa, relevant_errors
from ripa_guard.oversight import reports as oversight
from ripa_guard.oversight.forms import (
    ActionForm,
    ConfirmErrorForm,
    DismissErrorForm,
    ErrorForm,
    NonRipaCloseForm,
    NonRipaDecisionForm,
    NonRipaForm,
    NonRipaReviewForm,
    PolicyReviewForm,
    RecommendationForm,
    TrainingForm,
)
from ripa_guard.oversight.models import (
    FINDING_CATEGORY_CITATION,
    ActionProgress,
    ErrorKind,
    ErrorStatus,
    FindingCategory,
    InspectionRecommendation,
    NonRipaActivity,
    NonRipaStatus,
    RelevantError,
)
from ripa_guard.viewing import reading, research_profiles

bp = Blueprint("oversight", __name__, url_prefix="/oversight")

RUNS = (Role.SRO, Role.COORDINATOR)
READS = (Role.SRO, Role.COORDINATOR, Role.INSPECTOR)
NON_RIPA_READERS = (Role.SRO, Role.COORDINATOR, Role.INSPECTOR, Role.AUTHORISING_OFFICER)
SENIOR = (Role.AUTHORISING_OFFICER, Role.SRO)
#: Rows shown on one register page; the extract has them all.
PAGE_LIMIT = 500
#: People shown on the inspection page, most pressing first; the training page shows everyone.
TRAINING_SHOWN = 50
#: Errors shown a page at a time, and on the inspection page the most recent not dismissed.
ERRORS_SHOWN = reading.PAGE


def _part(form_class, prefix: str, posted: bool = True):
    """One of several forms on a page: its own prefix keeps the ids apart. The app's
    CSRFProtect checks every POST's token, so the form need not check it again."""
    kwargs = {"prefix": prefix, "meta": {"csrf": False}}
    return form_class(**kwargs) if posted else form_class(formdata=None, **kwargs)


def _year() -> int:
    year = whole_number(request.args.get("year", "")) or clock.today().year
    return year if 2000 <= year <= 2100 else clock.today().year


@bp.app_template_global()
def rag_tag(rag) -> dict:
    value = getattr(rag, "value", rag)
    colour = {"red": "govuk-tag--red", "amber": "govuk-tag--yellow", "green": "govuk-tag--green"}
    return {"text": value.capitalize(), "classes": colour[value]}


# The hub ----------------------------------------------------------------------------------------


@bp.route("/")
@roles_required(*READS)
def index():
    s = db.session()
    today = clock.today()
    refused, refused_total = council_policy.refused_by_policy(s)
    return render_template(
        "oversight/index.html",
        sections=oversight.inspection_sections(s, today),
        policy=oversight.policy_status(s, today),
        refused_by_policy=refused,
        refused_by_policy_total=refused_total,
    )


# Training ---------------------------------------------------------------------------------------


@bp.route("/training")
@roles_required(*READS)
def training_index():
    s = db.session()
    return render_template(
        "oversight/training.html",
        statuses=training.statuses(s, clock.today()),
        records=training.records(s, PAGE_LIMIT),
        limit_years=training.limit_years(),
    )


@bp.route("/training/new", methods=["GET", "POST"])
@roles_required(*RUNS)
def new_training():
    s = db.session()
    people = users.people(s, active_only=True)
    form = TrainingForm()
    form.user_id.choices = [SelectChoice("", "Choose the person")] + [
        SelectChoice(str(u.id), f"{u.name}, {u.grade}") for u in people
    ]
    if request.method == "GET" and whole_number(request.args.get("user", "")) is not None:
        form.user_id.data = request.args["user"]
    problem = None
    if form.validate_on_submit():
        person = s.get(User, int(form.user_id.data)) or abort(400)
        problem = refusal(
            lambda: training.record_training(
                s,
                current_user,
                person,
                trained_on=form.trained_on.data,
                course=form.course.data,
                provider=form.provider.data or "",
                notes=form.notes.data or "",
                today=clock.today(),
            )
        )
        if problem is None:
            flash(f"Training recorded for {person.name}", "success")
            return redirect(url_for("oversight.training_index"))
    return render_template("oversight/training_new.html", form=form, problem=problem)


# The non-RIPA register ----------------------------------------------------------------------------


def _activity_for_reading(activity_id: int) -> NonRipaActivity:
    activity = record_or_404(NonRipaActivity, activity_id)
    if activity.officer_id != current_user.id and not current_user.has_role(*NON_RIPA_READERS):
        abort(403)
    return activity


@bp.route("/non-ripa/")
@roles_required(Role.OFFICER, *NON_RIPA_READERS)
def non_ripa_register():
    status = request.args.get("status", "")
    everyone = current_user.has_role(*NON_RIPA_READERS)
    activities = non_ripa.register_page(
        db.session(), status=status, officer=None if everyone else current_user, limit=PAGE_LIMIT
    )
    return render_template(
        "oversight/non_ripa_register.html",
        activities=activities,
        everyone=everyone,
        status=status,
        statuses=list(NonRipaStatus),
        next_review=non_ripa.next_review,
        today=clock.today(),
    )


def _approval_training_problem() -> str | None:
    """Why the signed-in senior officer cannot approve for want of training, if so."""
    if not current_user.can_decide:
        return None
    return training.training_problem(db.session(), current_user, clock.today())


@bp.route("/non-ripa/new/<int:triage_id>", methods=["GET", "POST"])
@roles_required(Role.OFFICER)
def new_non_ripa(triage_id: int):
    record = triage_for_owner(triage_id)
    if record.outcome != Outcome.OUTSIDE_RIPA:
        abort(404)
    existing = non_ripa.for_triage(db.session(), record.id)
    if existing is not None:
        return redirect(url_for("oversight.non_ripa_show", activity_id=existing.id))
    if not council_policy.non_ripa_monitoring_allowed():
        return render_template("oversight/non_ripa_forbidden.html"), 403
    form = NonRipaForm()
    if request.method == "GET":
        form.title.data = record.title
    problem = None
    if form.validate_on_submit():
        try:
            activity = non_ripa.record_activity(
                db.session(),
                current_user,
                record,
                title=form.title.data,
                purpose=form.purpose.data,
                subjects=form.subjects.data,
                activity=form.activity.data,
                necessity=form.necessity.data,
                proportionality=form.proportionality.data,
                collateral_intrusion=form.collateral_intrusion.data,
                alternatives=form.alternatives.data,
                prefix=current_app.config["NON_RIPA_PREFIX"],
                now=clock.now(),
            )
        except changes.Refused as refused:
            problem = str(refused)
        else:
            flash(
                f"Recorded as {activity.reference}. Do not start until a senior officer approves "
                "it.",
                "success",
            )
            return redirect(url_for("oversight.non_ripa_show", activity_id=activity.id))
    return render_template("oversight/non_ripa_new.html", form=form, record=record, problem=problem)


def _non_ripa_page(activity: NonRipaActivity, problem: str | None = None, **forms):
    posted = next(iter(forms.values()), None)
    senior = current_user.has_role(*SENIOR) and current_user.id != activity.officer_id
    may_close = activity.status == NonRipaStatus.APPROVED and (
        current_user.id == activity.officer_id or current_user.has_role(*SENIOR)
    )
    return render_template(
        "oversight/non_ripa_show.html",
        activity=activity,
        problem=problem,
        senior=senior,
        may_close=may_close,
        next_review=non_ripa.next_review(activity),
        history=audit.history(db.session(), "non_ripa", activity.id),
        form=posted,
        decide_form=forms.get("decide_form") or _part(NonRipaDecisionForm, "decide", False),
        review_form=forms.get("review_form") or _part(NonRipaReviewForm, "review", False),
        close_form=forms.get("close_form") or _part(NonRipaCloseForm, "close", False),
        today=clock.today(),
        training_problem=_approval_training_problem(),
    )


@bp.route("/non-ripa/<int:activity_id>")
@roles_required(Role.OFFICER, *NON_RIPA_READERS)
def non_ripa_show(activity_id: int):
    return _non_ripa_page(_activity_for_reading(activity_id))


def _show_activity(activity: NonRipaActivity):
    return redirect(url_for("oversight.non_ripa_show", activity_id=activity.id))


def _act_on_activity(activity_id: int, form_class, part: str, act, done: str):
    """Validate one of an activity's forms and apply it; the page again with the form, its
    errors and what was typed if it is wrong or refused. `done` may name {reference}."""
    activity = _activity_for_reading(activity_id)
    form = _part(form_class, part)
    shown = {f"{part}_form": form}
    if not form.validate_on_submit():
        return _non_ripa_page(activity, **shown), 400
    try:
        act(activity, form)
    except changes.Refused as refused:
        return _non_ripa_page(activity, str(refused), **shown), 400
    flash(done.format(reference=activity.reference), "success")
    return _show_activity(activity)


@bp.route("/non-ripa/<int:activity_id>/decide", methods=["POST"])
@roles_required(*SENIOR)
def non_ripa_decide(activity_id: int):
    def decide(activity, form):
        non_ripa.decide_activity(
            db.session(),
            current_user,
            activity,
            approved=form.decision.data == "approve",
            reasons=form.reasons.data,
            review_interval_days=form.review_interval_days.data,
            version=version_seen(),
            today=clock.today(),
        )

    return _act_on_activity(
        activity_id,
        NonRipaDecisionForm,
        "decide",
        decide,
        "Your decision on {reference} has been recorded",
    )


@bp.route("/non-ripa/<int:activity_id>/review", methods=["POST"])
@roles_required(*SENIOR)
def non_ripa_review(activity_id: int):
    def review(activity, form):
        non_ripa.review_activity(
            db.session(),
            current_user,
            activity,
            continues=form.continues.data == "yes",
            notes=form.notes.data,
            version=version_seen(),
            today=clock.today(),
        )

    return _act_on_activity(
        activity_id, NonRipaReviewForm, "review", review, "Your review has been recorded"
    )


@bp.route("/non-ripa/<int:activity_id>/close", methods=["POST"])
@roles_required(Role.OFFICER, *SENIOR)
def non_ripa_close(activity_id: int):
    def close(activity, form):
        non_ripa.close_activity(
            db.session(),
            current_user,
            activity,
            reason=form.reason.data,
            handling=form.handling.data,
            version=version_seen(),
            today=clock.today(),
        )

    return _act_on_activity(
        activity_id, NonRipaCloseForm, "close", close, "{reference} has been closed"
    )


def _audit_non_ripa_extract(kind: str, year: int | None) -> None:
    non_ripa.record_extract_taken(db.session(), current_user, kind, year)


def _extract_year() -> int | None:
    year = whole_number(request.args.get("year", ""))
    return year if year is not None and 2000 <= year <= 2100 else None


@bp.route("/non-ripa/extract.csv")
@roles_required(*NON_RIPA_READERS)
def non_ripa_csv():
    year = _extract_year()
    _audit_non_ripa_extract("csv", year)
    body = "\ufeff" + "".join(non_ripa.csv_text(db.session(), year))
    response = Response(body, mimetype="text/csv")
    response.headers["Content-Disposition"] = (
        f"attachment; filename=non-ripa-register-{year or 'all'}.csv"
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/non-ripa/extract.xlsx")
@roles_required(*NON_RIPA_READERS)
def non_ripa_xlsx():
    year = _extract_year()
    _audit_non_ripa_extract("xlsx", year)
    spool = tempfile.TemporaryFile()
    non_ripa.write_xlsx(spool, db.session(), year)
    spool.seek(0)
    return send_file(
        spool,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        as_attachment=True,
        download_name=f"non-ripa-register-{year or 'all'}.xlsx",
        max_age=0,
    )


# Errors -------------------------------------------------------------------------------------------


@bp.route("/errors")
@roles_required(*READS)
def errors():
    s = db.session()
    proposed = []
    if current_user.has_role(*RUNS):
        # Looking is when ripa_guard checks its own records for errors to propose.
        proposed = relevant_errors.propose_errors(s, clock.today())
    page = relevant_errors.errors_page(s, whole_number(request.args.get("after")))
    return render_template(
        "oversight/errors.html",
        errors=page.rows,
        page=page,
        page_size=ERRORS_SHOWN,
        counts=relevant_errors.status_counts(s),
        statuses=ErrorStatus,
        newly_proposed=len(proposed),
    )


@bp.route("/errors/new", methods=["GET", "POST"])
@roles_required(Role.SRO)
def new_error():
    form = ErrorForm()
    problem = None
    if form.validate_on_submit():
        try:
            error = relevant_errors.record_error(
                db.session(),
                current_user,
                kind=ErrorKind(form.kind.data),
                reference=form.reference.data or "",
                what_happened=form.what_happened.data,
                occurred_on=form.occurred_on.data,
                found_on=form.found_on.data,
                cause=form.cause.data,
                action_taken=form.action_taken.data,
                reported_to_ipco_on=form.reported_to_ipco_on.data,
                today=clock.today(),
            )
        except changes.Refused as refused:
            problem = str(refused)
        else:
            flash("The error has been recorded", "success")
            return redirect(url_for("oversight.error", error_id=error.id))
    return render_template("oversight/error_new.html", form=form, problem=problem)


def _error_page(error: RelevantError, problem=None, confirm_form=None, dismiss_form=None):
    posted = confirm_form or dismiss_form
    if confirm_form is None:
        confirm_form = _part(ConfirmErrorForm, "confirm", False)
        account = error.account
        confirm_form.kind.data = (account.kind if account else error.kind).value
        confirm_form.what_happened.data = account.what_happened if account else error.summary
        if account and not account.dismissed:
            confirm_form.cause.data = account.cause
            confirm_form.action_taken.data = account.action_taken
            confirm_form.reported_to_ipco_on.data = account.reported_to_ipco_on
    return render_template(
        "oversight/error.html",
        error=error,
        problem=problem,
        form=posted,
        confirm_form=confirm_form,
        dismiss_form=dismiss_form or _part(DismissErrorForm, "dismiss", False),
        history=audit.history(db.session(), "error", error.id),
    )


@bp.route("/errors/<int:error_id>")
@roles_required(*READS)
def error(error_id: int):
    return _error_page(record_or_404(RelevantError, error_id))


@bp.route("/errors/<int:error_id>/confirm", methods=["POST"])
@roles_required(Role.SRO)
def confirm_error(error_id: int):
    found = record_or_404(RelevantError, error_id)
    form = _part(ConfirmErrorForm, "confirm")
    if not form.validate_on_submit():
        return _error_page(found, confirm_form=form), 400
    try:
        relevant_errors.confirm_error(
            db.session(),
            current_user,
            error=found,
            kind=ErrorKind(form.kind.data),
            what_happened=form.what_happened.data,
            cause=form.cause.data,
            action_taken=form.action_taken.data,
            reported_to_ipco_on=form.reported_to_ipco_on.data,
            today=clock.today(),
        )
    except changes.Refused as refused:
        return _error_page(found, str(refused), confirm_form=form), 400
    flash("Your account of the error has been recorded", "success")
    return redirect(url_for("oversight.error", error_id=found.id))


@bp.route("/errors/<int:error_id>/dismiss", methods=["POST"])
@roles_required(Role.SRO)
def dismiss_error(error_id: int):
    found = record_or_404(RelevantError, error_id)
    form = _part(DismissErrorForm, "dismiss")
    if not form.validate_on_submit():
        return _error_page(found, dismiss_form=form), 400
    try:
        relevant_errors.dismiss_error(db.session(), current_user, found, form.reason.data)
    except changes.Refused as refused:
        return _error_page(found, str(refused), dismiss_form=form), 400
    flash("The proposed error has been dismissed", "success")
    return redirect(url_for("oversight.errors"))


# Policy, reports and inspection ------------------------------------------------------------------


@bp.route("/policy", methods=["GET", "POST"])
@roles_required(*READS)
def policy():
    form = PolicyReviewForm()
    problem = None
    if request.method == "POST":
        if not current_user.has_role(Role.SRO):
            abort(403)
        if form.validate_on_submit():
            problem = refusal(
                lambda: oversight.record_policy_review(
                    db.session(),
                    current_user,
                    form.reviewed_on.data,
                    form.reviewed_by.data,
                    form.by_members.data == "yes",
                    form.notes.data or "",
                    clock.today(),
                )
            )
            if problem is None:
                flash("The policy review has been recorded", "success")
                return redirect(url_for("oversight.policy"))
    s = db.session()
    return render_template(
        "oversight/policy.html",
        form=form,
        problem=problem,
        reviews=oversight.policy_reviews(s),
        status=oversight.policy_status(s, clock.today()),
    )


@bp.route("/members-report")
@roles_required(*RUNS)
def members_report():
    year = _year()
    return render_template(
        "oversight/members_report.html",
        report=oversight.members_report(db.session(), year, clock.today()),
        today=clock.today(),
    )


@bp.route("/inspection")
@roles_required(*READS)
def inspection():
    s = db.session()
    today = clock.today()
    last = oversight.last_inspection(s)
    recommendations = oversight.recommendations(s, last)
    people = training.summary(s, today)
    error_counts = relevant_errors.status_counts(s)
    return render_template(
        "oversight/inspection.html",
        sections=oversight.inspection_sections(s, today, people, error_counts),
        last_inspection=last,
        recommendations=recommendations,
        category_citation=FINDING_CATEGORY_CITATION,
        profiles=research_profiles.research_profiles(s),
        granted=research_profiles.granted_names(s),
        platforms=research_profiles.research_profile_platforms(),
        statuses=training.statuses(s, today, limit=TRAINING_SHOWN),
        training_people=people.people,
        errors=relevant_errors.not_dismissed(s, ERRORS_SHOWN),
        errors_not_dismissed=sum(error_counts.values()) - error_counts[ErrorStatus.DISMISSED],
        activities=non_ripa.register_page(s, limit=PAGE_LIMIT),
        policy=oversight.policy_status(s, today),
        today=today,
        year=today.year,
    )


@bp.route("/inspection/recommendations/new", methods=["GET", "POST"])
@roles_required(Role.SRO)
def new_recommendation():
    form = RecommendationForm()
    problem = None
    if form.validate_on_submit():
        problem = refusal(
            lambda: oversight.record_recommendation(
                db.session(),
                current_user,
                form.inspection_date.data,
                form.inspector.data,
                form.number.data,
                form.text.data,
                clock.today(),
                FindingCategory(form.category.data),
            )
        )
        if problem is None:
            flash("The finding has been recorded", "success")
            return redirect(url_for("oversight.inspection"))
    return render_template("oversight/recommendation_new.html", form=form, problem=problem)


@bp.route("/inspection/recommendations/<int:recommendation_id>", methods=["GET", "POST"])
@roles_required(*READS)
def recommendation(recommendation_id: int):
    found = record_or_404(InspectionRecommendation, recommendation_id)
    form = ActionForm()
    problem = None
    if request.method == "POST":
        if not current_user.has_role(Role.SRO):
            abort(403)
        if form.validate_on_submit():
            problem = refusal(
                lambda: oversight.record_action(
                    db.session(),
                    current_user,
                    found,
                    form.action_taken.data,
                    ActionProgress(form.progress.data),
                    clock.today(),
                )
            )
            if problem is None:
                flash("The action has been recorded", "success")
                return redirect(url_for("oversight.recommendation", recommendation_id=found.id))
    return render_template(
        "oversight/recommendation.html",
        recommendation=found,
        category_citation=FINDING_CATEGORY_CITATION,
        form=form,
        problem=problem,
    )
