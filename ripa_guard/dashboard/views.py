"""The signed-in home page and the about page."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required

from ripa_guard.accounts.models import Role
from ripa_guard.core import clock, db
from ripa_guard.dashboard import setup
from ripa_guard.dashboard.due import own_applications, what_is_due
from ripa_guard.law import periods

bp = Blueprint("main", __name__)

#: Items shown per list on the dashboard, the most pressing first; the rest are counted.
DUE_LIMIT = 20
#: An application id no record has, for building the link to an application once a page.
_ANY_APPLICATION = 987654321


@bp.route("/")
def index():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    return redirect(url_for("auth.sign_in"))


@bp.route("/dashboard")
@login_required
def dashboard():
    if current_user.role_set == {Role.INSPECTOR}:
        # An inspector's home is the register at a glance (register/overview.py).
        return redirect(url_for("register.overview"))
    s = db.session()
    today = clock.today()
    due = what_is_due(
        s,
        current_user,
        today,
        limit=DUE_LIMIT,
        count_threshold_stops=current_user.has_role(Role.SRO, Role.COORDINATOR),
    )
    mine = own_applications(s, current_user) if current_user.has_role(Role.OFFICER) else []
    return render_template(
        "main/dashboard.html",
        setup_steps=_setup_steps(s),
        due=due,
        today=today,
        mine=mine,
        threshold_failures=due.threshold_stops,
        sees_others=current_user.has_role(Role.AUTHORISING_OFFICER, Role.SRO, Role.COORDINATOR),
        long_date=periods.long_date,
        describe_last_day=periods.describe_last_day,
        application_url=_application_url(),
    )


def _application_url():
    """url_for("applications.show") for each line, built once: building it for each of up to
    100 lines was a fifth of the page's rendering (issue 19)."""
    built = url_for("applications.show", application_id=_ANY_APPLICATION)
    return lambda application_id: built.replace(str(_ANY_APPLICATION), str(application_id))


def _setup_steps(s) -> list[setup.Step]:
    """The SRO's set-up checklist while any step is undone; nothing once it is complete."""
    if not current_user.has_role(Role.SRO):
        return []
    steps = setup.checklist(s)
    return [] if setup.is_complete(steps) else steps


@bp.route("/about")
def about():
    return render_template("main/about.html")


@bp.route("/accessibility")
def accessibility():
    return render_template("main/accessibility.html")
