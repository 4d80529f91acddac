"""The SRO's management of accounts."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ripa_guard.accounts import second_step
from ripa_guard.accounts import users as accounts
from ripa_guard.accounts.auth import roles_required
from ripa_guard.accounts.forms import UserForm
from ripa_guard.accounts.models import Role, User
from ripa_guard.core import db, read_log
from ripa_guard.core.fields import ConfirmForm
from ripa_guard.core.records import MAX_ID, record_or_404

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/users")
@roles_required(Role.SRO)
def users():
    people = accounts.people(db.session())
    return render_template("admin/users.html", people=people)


@bp.route("/reads")
@roles_required(Role.SRO)
def reads():
    """Who opened which record or extract, and when (Data Protection Act 2018 s.62), newest
    first, a page at a time, for everyone or one person."""
    person_id, before = _id_arg("person"), _id_arg("before")
    rows = read_log.page(db.session(), person_id, before)
    older = rows[read_log.PAGE_SIZE - 1].id if len(rows) > read_log.PAGE_SIZE else None
    return render_template(
        "admin/reads.html",
        rows=rows[: read_log.PAGE_SIZE],
        people=accounts.people(db.session()),
        person_id=person_id,
        older=older,
        labels=READ_LABELS,
        role_titles=_role_titles,
        read_page=_read_page,
    )


def _id_arg(name: str) -> int | None:
    """An id from the query string; anything else, or too big for a table, is ignored."""
    value = request.args.get(name, type=int)
    return value if value is not None and 0 < value <= MAX_ID else None


def _role_titles(capacity: str) -> str:
    """The roles a read was made in, as people call them: "Senior responsible officer"."""
    values = [value for value in capacity.split(", ") if value]
    return ", ".join(Role(v).title if v in Role._value2member_map_ else v for v in values)


#: What each kind of read is called on the SRO's page.
READ_LABELS = {
    "application": "Application",
    "court_papers": "Court papers",
    "court_papers_pdf": "Court papers (PDF)",
    "central_record_entry": "Central record entry",
    "extract_csv": "Extract (CSV)",
    "extract_xlsx": "Extract (spreadsheet)",
    "extract_print": "Extract (to print)",
    "viewing": "Viewing",
    "profile_history": "Every look at a profile",
    "subject_history": "Every look at a subject",
}
#: Where a read record is, by kind: (endpoint, name of its id).
_READ_PAGES = {
    "application": ("applications.show", "application_id"),
    "court_papers": ("applications.show", "application_id"),
    "court_papers_pdf": ("applications.show", "application_id"),
    "central_record_entry": ("register.record", "application_id"),
    "viewing": ("viewings.show", "viewing_id"),
}


def _read_page(row) -> str | None:
    endpoint, name = _READ_PAGES.get(row.what, (None, None))
    if endpoint is None or row.record_id is None:
        return None
    return url_for(endpoint, **{name: row.record_id})


@bp.route("/users/new", methods=["GET", "POST"])
@roles_required(Role.SRO)
def new_user():
    form = UserForm()
    if form.validate_on_submit():
        try:
            user, password = accounts.create_user(
                db.session(),
                current_user,
                form.email.data,
                form.name.data,
                form.grade.data,
                form.service.data or "",
                [Role(r) for r in form.roles.data],
                form.can_authorise_confidential.data,
            )
        except accounts.AccountError as error:
            form.email.errors.append(str(error))
        else:
            return render_template("admin/created.html", user=user, password=password)
    return render_template("admin/user_form.html", form=form, person=None)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@roles_required(Role.SRO)
def edit_user(user_id: int):
    person = record_or_404(User, user_id)
    form = UserForm(obj=person) if not _posted() else UserForm()
    if not _posted():
        form.roles.data = [r.value for r in person.role_set]
    if form.validate_on_submit():
        try:
            accounts.update_user(
                db.session(),
                current_user,
                person,
                form.email.data,
                form.name.data,
                form.grade.data,
                form.service.data or "",
                [Role(r) for r in form.roles.data],
                form.can_authorise_confidential.data,
            )
        except accounts.AccountError as error:
            form.email.errors.append(str(error))
        else:
            flash(f"{person.name}'s account has been saved", "success")
            return redirect(url_for("admin.users"))
    return render_template(
        "admin/user_form.html", form=form, person=person, action_form=ConfirmForm()
    )


@bp.route("/users/<int:user_id>/<action>", methods=["POST"])
@roles_required(Role.SRO)
def account_action(user_id: int, action: str):
    person = record_or_404(User, user_id)
    if (
        action not in {"disable", "enable", "reset-password", "remove-two-step"}
        or not ConfirmForm().validate_on_submit()
    ):
        abort(400)
    try:
        if action == "reset-password":
            password = accounts.reset_password(db.session(), current_user, person)
            return render_template("admin/created.html", user=person, password=password)
        if action == "remove-two-step":
            # Someone who lost their phone sets it up again at their next sign-in.
            second_step.remove_second_step(person, actor=current_user)
            flash(f"{person.name}'s second step has been removed", "success")
            return redirect(url_for("admin.edit_user", user_id=person.id))
        accounts.set_active(db.session(), current_user, person, action == "enable")
    except accounts.AccountError as error:
        flash(str(error))
    else:
        flash(f"{person.name}'s account has been {action}d", "success")
    return redirect(url_for("admin.edit_user", user_id=person.id))


def _posted() -> bool:
    return request.method == "POST"
