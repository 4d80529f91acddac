"""The council's details (the SRO's), its policy settings, and the help with its glossary."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ripa_guard.accounts.auth import roles_required
from ripa_guard.accounts.models import Role
from ripa_guard.core import db
from ripa_guard.core.fields import whole_number
from ripa_guard.core.records import refusal
from ripa_guard.council import details, glossary, policy
from ripa_guard.council.forms import CouncilDetailsForm

bp = Blueprint("council", __name__)


@bp.route("/council/details", methods=["GET", "POST"])
@roles_required(Role.SRO)
def council_details():
    s = db.session()
    in_force = details.current(s)
    form = CouncilDetailsForm()
    if request.method == "GET":
        row = details.stored(s)
        for name in details.SETTINGS:
            getattr(form, name).data = getattr(row, name) if row is not None else ""
        form.version.data = "" if in_force.version is None else str(in_force.version)
    problem = None
    if form.validate_on_submit():
        given = {name: getattr(form, name).data or "" for name in details.SETTINGS}
        version = whole_number(form.version.data or "")
        problem = refusal(lambda: details.save(s, current_user, version, **given))
        if problem is None:
            flash("The council's details have been saved", "success")
            return redirect(url_for("council.council_details"))
    return render_template(
        "council/details.html",
        form=form,
        problem=problem,
        in_force=in_force,
        settings=details.SETTINGS,
        history=details.history(s),
    )


@bp.route("/council/policy-settings")
@roles_required(Role.SRO, Role.COORDINATOR)
def policy_settings():
    return render_template("council/policy_settings.html", settings=policy.policy_settings())


@bp.route("/help")
@login_required
def help_page():
    return render_template(
        "council/help.html", terms=glossary.TERMS, code=glossary.CODE_OF_PRACTICE
    )
