"""The offence register, as the coordinator and authorising officers read it."""

from __future__ import annotations

from flask import Blueprint, render_template

from ripa_guard.accounts.auth import roles_required
from ripa_guard.accounts.models import Role
from ripa_guard.applications.pages import offence_register
from ripa_guard.law import threshold

bp = Blueprint("offences", __name__, url_prefix="/offences")


@bp.route("/")
@roles_required(Role.COORDINATOR, Role.SRO, Role.AUTHORISING_OFFICER)
def index():
    rows = [(o, threshold.assess(o)) for o in offence_register().values()]
    return render_template("offences/index.html", rows=rows, citation=threshold.CITATION)
