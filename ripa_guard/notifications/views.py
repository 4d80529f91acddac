"""Your notifications, and the SRO's list of e-mails that did not go."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ripa_guard.accounts.auth import roles_required
from ripa_guard.accounts.models import Role
from ripa_guard.core import clock, db
from ripa_guard.council import details
from ripa_guard.notifications import inbox, sending

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.before_app_request
def _count_unread() -> None:
    """The unread count for the navigation, on pages only (not the API, nor assets)."""
    endpoint = request.endpoint or ""
    if endpoint.startswith(("api.", "static", "govuk_assets")):
        return
    if current_user.is_authenticated and not current_user.must_change_password:
        # The council's details come with the count: the page's header and footer show them.
        unread, council = inbox.unread_count_and_council(db.session(), current_user.id)
        g.unread_notifications = unread
        details.remember(details.from_row(council, current_app.config))


@bp.route("/", methods=["GET", "POST"])
@login_required
def index():
    if request.method == "POST":
        inbox.mark_all_read(db.session(), current_user.id, clock.now())
        flash("Your notifications are marked as read", "success")
        return redirect(url_for("notifications.index"))
    return render_template(
        "notifications/index.html",
        notifications=inbox.for_user(db.session(), current_user.id),
        unread=g.get("unread_notifications", 0),
    )


@bp.route("/outbox")
@roles_required(Role.SRO)
def outbox():
    return render_template(
        "notifications/outbox.html", messages=sending.needing_attention(db.session())
    )
