"""The signed-in home page and the about page."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, select

from .. import db
from ..models import Application, ApplicationStatus, Outcome, Role, Triage

bp = Blueprint("main", __name__)


@bp.route("/")
def index():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    return redirect(url_for("auth.sign_in"))


@bp.route("/dashboard")
@login_required
def dashboard():
    s = db.session()
    mine = []
    if current_user.has_role(Role.OFFICER):
        mine = s.scalars(
            select(Application)
            .where(Application.officer_id == current_user.id)
            .order_by(Application.updated_at.desc())
            .limit(20)
        ).all()
    awaiting_decision = 0
    if current_user.can_decide:
        awaiting_decision = s.scalar(
            select(func.count()).where(Application.status == ApplicationStatus.SUBMITTED)
        )
    threshold_failures = 0
    if current_user.has_role(Role.SRO, Role.COORDINATOR):
        threshold_failures = s.scalar(
            select(func.count()).where(Triage.outcome == Outcome.CANNOT_BE_AUTHORISED)
        )
    return render_template(
        "main/dashboard.html",
        mine=mine,
        awaiting_decision=awaiting_decision,
        threshold_failures=threshold_failures,
    )


@bp.route("/about")
def about():
    return render_template("main/about.html")
