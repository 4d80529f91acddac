"""The viewing log: officers log each look before they take it; the SRO and the RIPA coordinator
see who looked at what, and every attempt stopped; the SRO keeps the register of research
profiles."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from ripa_guard.accounts import training, users
from ripa_guard.accounts.auth import roles_required
from ripa_guard.accounts.models import Role
from ripa_guard.core import changes, clock, db, read_log
from ripa_guard.core.fields import ConfirmForm, whole_number
from ripa_guard.core.records import record_or_404
from ripa_guard.law.profile_identity import label_of_identity
from ripa_guard.viewing import capture_register, investigations, reading
from ripa_guard.viewing import held as held_looks
from ripa_guard.viewing import log as viewing_log
from ripa_guard.viewing import oversight as viewing_oversight
from ripa_guard.viewing import research_profiles as profile_register
from ripa_guard.viewing import tokens as api_tokens
from ripa_guard.viewing.forms import (
    NoteForm,
    ResearchProfileForm,
    ResearchProfileUserForm,
    RetireForm,
    TokenForm,
    ViewingForm,
)
from ripa_guard.viewing.models import ApiToken, ResearchProfile, Viewing, ViewingAttempt

bp = Blueprint("viewings", __name__, url_prefix="/viewings")

OVERSIGHT = (Role.SRO, Role.COORDINATOR)


@bp.app_template_global()
def identity_label(identity: str) -> str:
    return label_of_identity(identity)


@bp.app_template_global()
def now_utc():
    return clock.now()


@bp.record_once
def _show_the_log_on_application_pages(state) -> None:
    # An application's page shows its viewing log, but applications sit below viewing: the
    # viewing package hands its reader to the page instead of the page importing it.
    state.app.extensions["ripa_guard.application_viewing_log"] = reading.application_log
    # Likewise a research plan is made under one of the officer's open investigations.
    state.app.extensions["ripa_guard.open_investigations"] = investigations.open_investigations_of


def _window() -> int | None:
    return current_app.config.get("REPEAT_VIEWING_WINDOW_DAYS")


def add_error(form, problem: changes.InputProblem) -> bool:
    """Put a refusal by the field it is about; False when the form has no such field."""
    field = getattr(form, problem.field, None)
    if field is None:
        return False
    field.errors = [*field.errors, str(problem)]
    return True


def research_profile_label(profile: ResearchProfile) -> str:
    platform = profile_register.research_profile_platforms().get(profile.platform, profile.platform)
    kind = "covert" if profile.covert else "overt"
    return f"{profile.handle} ({platform}, {kind})"


# Logging a viewing ----------------------------------------------------------------------------


@bp.route("/new", methods=["GET", "POST"])
@roles_required(Role.OFFICER)
def new():
    s = db.session()
    now = clock.now()
    # Read once: for the form's choices, and for the gate when the viewing is logged.
    usable = profile_register.usable_research_profiles(s, current_user, clock.local_date(now))
    form = ViewingForm()
    form.research_profile.choices = [
        SelectChoice(str(p.id), research_profile_label(p)) for p in usable
    ]
    problem = None
    if form.validate_on_submit():
        # Logging reads no list of the officer's investigations: the gate checks that the one
        # sent is theirs and open (investigations.require_usable), as for the API. The list is
        # read below, only to show the form.
        try:
            outcome = viewing_log.request_viewing(
                s,
                current_user,
                viewing_log.ViewingRequest(
                    url=form.url.data,
                    investigation_id=whole_number(form.investigation.data),
                    subject=form.subject.data,
                    purpose=form.purpose.data,
                    research_profile_id=int(form.research_profile.data),
                    captured=form.captured.data == "yes",
                    capture_location=form.capture_location.data or "",
                ),
                now,
                _window(),
                usable=usable,
            )
        except changes.InputProblem as bad:
            if not add_error(form, bad):
                problem = str(bad)
        except changes.Refused as refused:
            problem = str(refused)
        else:
            if outcome.allowed:
                flash(f"Viewing logged: {outcome.decision.verdict.title.lower()}", "success")
                return redirect(url_for("viewings.show", viewing_id=outcome.viewing.id))
            if outcome.held is not None:
                return redirect(url_for("investigations.held_look", held_id=outcome.held.id))
            return redirect(url_for("viewings.stopped", attempt_id=outcome.attempt.id))
    mine = investigations.open_investigations_of(s, current_user)
    form.investigation.choices = _investigation_choices(mine)
    if request.method == "GET":
        _prefill(form, mine)
    return render_template(
        "viewings/new.html",
        form=form,
        usable=usable,
        mine=mine,
        problem=problem,
        untrained=training.officer_training_block(s, current_user, clock.today()),
    )


def _investigation_choices(mine) -> list[SelectChoice]:
    # A blank first choice unless there is only one: nothing is chosen for the officer.
    choices = [SelectChoice(str(i.id), i.label) for i in mine]
    return (
        choices if len(choices) == 1 else [SelectChoice("", "Select the investigation")] + choices
    )


def _prefill(form: ViewingForm, mine) -> None:
    """What a link already says, so logging takes seconds. The investigation is chosen by the
    officer: pre-filled only when it is their only one, or the link named one of theirs, never
    from their last viewing (issue 15). The research profile is never chosen for them (issue
    18): which account they view from is theirs to say each time."""
    form.url.data = request.args.get("url", "")[:2000] or None
    named = request.args.get("investigation", "")
    if len(mine) == 1:
        form.investigation.data = str(mine[0].id)
    elif any(str(i.id) == named for i in mine):
        form.investigation.data = named
    form.subject.data = request.args.get("subject", "")[:200] or None


def _viewing_for_reading(viewing_id: int) -> Viewing:
    viewing = record_or_404(Viewing, viewing_id)
    if viewing.officer_id != current_user.id and not current_user.has_role(*OVERSIGHT):
        abort(403)
    return viewing


@bp.route("/<int:viewing_id>")
@roles_required(Role.OFFICER, *OVERSIGHT)
def show(viewing_id: int):
    viewing = _viewing_for_reading(viewing_id)
    read_log.note("viewing", viewing.id)
    return render_template(
        "viewings/show.html",
        viewing=viewing,
        note_form=NoteForm(),
        captures=capture_register.of_viewing(db.session(), viewing.id),
    )


@bp.route("/<int:viewing_id>/notes", methods=["POST"])
@roles_required(Role.OFFICER)
def add_note(viewing_id: int):
    viewing = _viewing_for_reading(viewing_id)
    if viewing.officer_id != current_user.id:
        abort(403)
    form = NoteForm()
    if form.validate_on_submit():
        try:
            viewing_log.add_note(db.session(), current_user, viewing, form.text.data)
        except changes.InputProblem as bad:
            add_error(form, bad)
        else:
            flash("Your note has been added", "success")
            return redirect(url_for("viewings.show", viewing_id=viewing.id))
    return render_template(
        "viewings/show.html",
        viewing=viewing,
        note_form=form,
        form=form,
        captures=capture_register.of_viewing(db.session(), viewing.id),
    )


@bp.route("/stopped/<int:attempt_id>")
@roles_required(Role.OFFICER, *OVERSIGHT)
def stopped(attempt_id: int):
    attempt = record_or_404(ViewingAttempt, attempt_id)
    if attempt.officer_id != current_user.id and not current_user.has_role(*OVERSIGHT):
        abort(403)
    earlier = [db.session().get(Viewing, i) for i in attempt.earlier_viewing_ids or []]
    return render_template(
        "viewings/stopped.html",
        attempt=attempt,
        # Another service's viewings count, but their officers, subjects and references are
        # not shown to an officer (issue 15); the SRO and the coordinator see them all.
        earlier=[
            v
            for v in earlier
            if v is not None
            and viewing_log.same_service(current_user, v.officer_id, v.officer_service)
        ],
        hidden=sum(
            1
            for v in earlier
            if v is not None
            and not viewing_log.same_service(current_user, v.officer_id, v.officer_service)
        ),
        triage_title=f"{attempt.reference} – {attempt.subject}"[:200],
    )


@bp.route("/")
@roles_required(Role.OFFICER)
def index():
    viewings, attempts = reading.officer_log(
        db.session(),
        current_user,
        after=whole_number(request.args.get("after")),
        attempts_after=whole_number(request.args.get("attempts_after")),
    )
    return render_template(
        "viewings/index.html",
        viewings=viewings.rows,
        attempts=attempts.rows,
        pages=(viewings, attempts),
        page_size=reading.PAGE,
        held=held_looks.of_officer(db.session(), current_user),
        usable=profile_register.usable_research_profiles(db.session(), current_user, clock.today()),
    )


# Oversight ------------------------------------------------------------------------------------


@bp.route("/oversight")
@roles_required(*OVERSIGHT)
def oversight():
    s = db.session()
    return render_template(
        "viewings/oversight.html",
        attempts=viewing_oversight.stopped_attempts(s, limit=50),
        counts=viewing_oversight.stopped_counts(s),
        profiles=viewing_oversight.profile_summaries(s, limit=100),
        subjects=viewing_oversight.subject_summaries(s, limit=100),
        window=_window(),
    )


def _history_page(history, heading: str, caption: str, arg: str, key: str):
    return render_template(
        "viewings/history.html",
        heading=heading,
        caption=caption,
        history=history,
        endpoint=request.endpoint,
        arg=arg,
        key=key,
        page_size=reading.PAGE,
        after=whole_number(request.args.get("after")),
        attempts_after=whole_number(request.args.get("attempts_after")),
    )


@bp.route("/oversight/profile")
@roles_required(*OVERSIGHT)
def profile_history():
    identity = request.args.get("identity", "")[:400]
    if not identity:
        abort(404)
    history = viewing_oversight.profile_history(
        db.session(),
        identity,
        after=whole_number(request.args.get("after")),
        attempts_after=whole_number(request.args.get("attempts_after")),
    )
    read_log.note("profile_history", None, identity)
    return _history_page(history, label_of_identity(identity), "Profile", "identity", identity)


@bp.route("/oversight/subject")
@roles_required(*OVERSIGHT)
def subject_history():
    key = request.args.get("key", "")[:200]
    if not key:
        abort(404)
    history = viewing_oversight.subject_history(
        db.session(),
        key,
        after=whole_number(request.args.get("after")),
        attempts_after=whole_number(request.args.get("attempts_after")),
    )
    read_log.note("subject_history", None, key)
    names = sorted({v.subject for v in history.viewings} | {a.subject for a in history.attempts})
    heading = history.tally.subject if history.tally and history.tally.subject else None
    return _history_page(history, heading or (names[0] if names else key), "Subject", "key", key)


# The register of research profiles ------------------------------------------------------------


def _officer_choices() -> list[SelectChoice]:
    officers = [u for u in users.people(db.session(), active_only=True) if u.has_role(Role.OFFICER)]
    return [
        SelectChoice(str(u.id), f"{u.name}{', ' + u.service if u.service else ''}")
        for u in officers
    ]


def _user_ids(form) -> list[int]:
    # Only officers offered: an empty first value makes WTForms' Optional skip the choice check.
    offered = {c.value for c in form.users.choices}
    return [int(v) for v in form.users.data or [] if v in offered]


@bp.route("/research-profiles")
@roles_required(*OVERSIGHT)
def research_profiles():
    return render_template(
        "viewings/research_profiles.html",
        profiles=profile_register.research_profiles(db.session()),
        granted=profile_register.granted_names(db.session()),
        platforms=profile_register.research_profile_platforms(),
        today=clock.today(),
    )


@bp.route("/research-profiles/new", methods=["GET", "POST"])
@roles_required(Role.SRO)
def new_research_profile():
    form = ResearchProfileForm()
    form.platform.choices = [SelectChoice("", "Choose the platform")] + [
        SelectChoice(slug, name)
        for slug, name in profile_register.research_profile_platforms().items()
    ]
    form.users.choices = _officer_choices()
    problem = None
    if form.validate_on_submit():
        try:
            profile = profile_register.register_research_profile(
                db.session(),
                current_user,
                platform=form.platform.data,
                handle=form.handle.data,
                covert=form.covert.data == "covert",
                created_on=form.created_on.data,
                user_ids=_user_ids(form),
                notes=form.notes.data or "",
                today=clock.today(),
            )
        except changes.InputProblem as bad:
            if not add_error(form, bad):
                problem = str(bad)
        except changes.Refused as refused:
            problem = str(refused)
        else:
            flash(f"{profile.handle} has been added to the register", "success")
            return redirect(url_for("viewings.research_profile", profile_id=profile.id))
    return render_template("viewings/research_profile_form.html", form=form, problem=problem)


def _research_profile_page(profile, users_form=None, retire_form=None, problem=None):
    users_form = users_form or ResearchProfileUserForm(formdata=None)
    retire_form = retire_form or RetireForm(formdata=None)
    viewings, attempts = viewing_oversight.research_profile_use(
        db.session(),
        profile.id,
        after=whole_number(request.args.get("after")),
        attempts_after=whole_number(request.args.get("attempts_after")),
    )
    return render_template(
        "viewings/research_profile.html",
        profile=profile,
        platforms=profile_register.research_profile_platforms(),
        users_form=users_form,
        retire_form=retire_form,
        form=users_form if users_form.errors else retire_form,
        problem=problem,
        viewings=viewings.rows,
        attempts=attempts.rows,
        pages=(viewings, attempts),
        page_size=reading.PAGE,
    )


@bp.route("/research-profiles/<int:profile_id>", methods=["GET", "POST"])
@roles_required(*OVERSIGHT)
def research_profile(profile_id: int):
    profile = record_or_404(ResearchProfile, profile_id)
    if request.method == "GET":
        return _research_profile_page(profile)
    if not current_user.has_role(Role.SRO):
        abort(403)
    form = ResearchProfileUserForm()
    if form.validate_on_submit():
        try:
            added = profile_register.add_research_profile_user(
                db.session(), current_user, profile, form.email.data
            )
        except changes.InputProblem as bad:
            add_error(form, bad)
        except changes.Refused as refused:
            return _research_profile_page(profile, form, problem=str(refused))
        else:
            flash(f"{added.name} may now use it", "success")
            return redirect(url_for("viewings.research_profile", profile_id=profile.id))
    return _research_profile_page(profile, form)


@bp.route("/research-profiles/<int:profile_id>/users/<int:user_id>/remove", methods=["POST"])
@roles_required(Role.SRO)
def remove_research_profile_user(profile_id: int, user_id: int):
    profile = record_or_404(ResearchProfile, profile_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        profile_register.remove_research_profile_user(db.session(), current_user, profile, user_id)
    except changes.Refused as refused:
        return _research_profile_page(profile, problem=str(refused))
    flash("The officer may no longer use it", "success")
    return redirect(url_for("viewings.research_profile", profile_id=profile.id))


@bp.route("/research-profiles/<int:profile_id>/retire", methods=["POST"])
@roles_required(Role.SRO)
def retire_research_profile(profile_id: int):
    profile = record_or_404(ResearchProfile, profile_id)
    form = RetireForm()
    if form.validate_on_submit():
        try:
            profile_register.retire_research_profile(
                db.session(),
                current_user,
                profile=profile,
                retired_on=form.retired_on.data,
                reason=form.reason.data,
                version=request.form.get("version", type=int),
                today=clock.today(),
            )
        except changes.InputProblem as bad:
            add_error(form, bad)
        except changes.Refused as refused:
            return _research_profile_page(profile, retire_form=form, problem=str(refused))
        else:
            flash(f"{profile.handle} has been retired", "success")
            return redirect(url_for("viewings.research_profile", profile_id=profile.id))
    return _research_profile_page(profile, retire_form=form)


# Tokens for tools -----------------------------------------------------------------------------


@bp.route("/tokens", methods=["GET", "POST"])
@roles_required(Role.OFFICER)
def tokens():
    form = TokenForm()
    made = None
    if form.validate_on_submit():
        try:
            token, raw = api_tokens.issue_token(db.session(), current_user, form.name.data)
        except changes.InputProblem as bad:
            add_error(form, bad)
        else:
            made = (token, raw)
            form = TokenForm(formdata=None)
    return _tokens_page(form, made)


def _tokens_page(form, made):
    return render_template(
        "viewings/tokens.html",
        form=form,
        made=made,
        tokens=api_tokens.tokens_of(db.session(), current_user),
        api_url=url_for("api.request_viewing", _external=True),
        server_url=url_for("main.index", _external=True).rstrip("/"),
        now=clock.now(),
    )


@bp.route("/tokens/<int:token_id>/revoke", methods=["POST"])
@roles_required(Role.OFFICER, Role.SRO)
def revoke_token(token_id: int):
    token = record_or_404(ApiToken, token_id)
    if token.user_id != current_user.id and not current_user.has_role(Role.SRO):
        abort(403)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    api_tokens.revoke_token(db.session(), current_user, token)
    flash(f"The token '{token.name}' has been revoked: it no longer works", "success")
    return redirect(url_for("viewings.tokens"))


@bp.route("/tokens/<int:token_id>/rotate", methods=["POST"])
@roles_required(Role.OFFICER)
def rotate_token(token_id: int):
    """A new token in place of one of the officer's own, which stops working at once."""
    token = record_or_404(ApiToken, token_id)
    if token.user_id != current_user.id:
        abort(403)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        made = api_tokens.rotate_token(db.session(), current_user, token)
    except changes.Refused as refused:
        flash(str(refused))
        return redirect(url_for("viewings.tokens"))
    return _tokens_page(TokenForm(formdata=None), made)
