"""The offence register, as the coordinator and authorising officers read it."""

from __future__ import annotations

from flask import Blueprint, render_template

from .. import threshold
from ..auth import roles_required
from ..models import Role
from .pages import offence_register

bp = Blueprint("offences", __name__, url_prefix="/offences")


@bp.route("/")
@roles_required(Role.COORDINATOR, Role.SRO, Role.AUTHORISING_OFFICER)
def index():
    rows = [(o, threshold.assess(o)) for o in offence_register().values()]
    return render_template("offences/index.html", rows=rows, citation=threshold.CITATION)
