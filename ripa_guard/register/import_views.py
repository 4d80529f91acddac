"""Importing the council's earlier central record: upload, choose the columns, check, import.

For the RIPA coordinator and the SRO. The file waits in a private file under the instance
folder, named by its SHA-256 (never in the session), until it is imported.
"""

from __future__ import annotations

import io
from pathlib import Path

from flask import (
    Blueprint,
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

from ripa_guard.accounts.auth import roles_required
from ripa_guard.core import clock, db
from ripa_guard.core.records import refusal
from ripa_guard.core.request_size import LARGE_BODIES
from ripa_guard.register import importing
from ripa_guard.register.forms import ImportUploadForm
from ripa_guard.register.import_file import ITEMS, REQUIRED
from ripa_guard.register.import_template import write_template
from ripa_guard.register.spreadsheet import MAX_BYTES, FileProblem

bp = Blueprint("register_import", __name__, url_prefix="/register/import")

#: Room for the form's other fields beside the file itself.
_FORM_ROOM = 64 * 1024
#: The spreadsheet and the form around it: read by the CSRF check before the view runs.
LARGE_BODIES["register_import.upload"] = MAX_BYTES + _FORM_ROOM


def _folder() -> Path:
    return Path(
        current_app.config.get("IMPORT_FOLDER") or Path(current_app.instance_path) / "imports"
    )


@bp.route("/", methods=["GET", "POST"])
@roles_required(*importing.IMPORTERS)
def upload():
    if (request.content_length or 0) > MAX_BYTES + _FORM_ROOM:
        form = ImportUploadForm(formdata=None)
        form.file.errors = [f"The file must be smaller than {MAX_BYTES // (1024 * 1024)} MB"]
        return render_template("register/import_upload.html", form=form), 413
    form = ImportUploadForm()
    if form.validate_on_submit():
        file = importing.upload(form.file.data.filename or "", form.file.data.read(MAX_BYTES + 1))
        try:
            file.table()
        except FileProblem as problem:
            form.file.errors = [str(problem)]
        else:
            key = importing.keep_upload(_folder(), file, clock.now())
            return redirect(url_for(".columns", key=key, name=file.name))
    return render_template("register/import_upload.html", form=form)


@bp.route("/template.xlsx")
@roles_required(*importing.IMPORTERS)
def template():
    out = io.BytesIO()
    write_template(out)
    out.seek(0)
    return send_file(
        out,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        as_attachment=True,
        download_name="central-record-import-template.xlsx",
        max_age=0,
    )


@bp.route("/<key>", methods=["GET", "POST"])
@roles_required(*importing.IMPORTERS)
def columns(key: str):
    """Choose the file's column for each Code item; check the file; import it."""
    name = request.values.get("name", "")
    file = importing.kept_upload(_folder(), key, name)
    if file is None:
        flash("That file is no longer here: upload it again.", "important")
        return redirect(url_for(".upload"))
    try:
        headers = file.table().headers
    except FileProblem:
        abort(404)
    mapping = _mapping(headers) if request.method == "POST" else None
    checked, problem = None, None
    s, today, prefix = db.session(), clock.today(), current_app.config["URN_PREFIX"]
    # The CSRF token of every POST is checked before the view runs (CSRFProtect).
    if request.method == "POST":
        if request.form.get("action") == "import":
            problem = refusal(
                lambda: importing.import_register(
                    s, current_user, file, mapping, today=today, prefix=prefix
                )
            )
            if problem is None:
                importing.forget_upload(_folder(), key)
                flash(f"The entries of {file.name} have been imported.", "success")
                return redirect(url_for("register.index"))
        checked, mapping = importing.dry_run(s, file, mapping, today, prefix)
    used = mapping or importing.default_mapping(headers)
    return render_template(
        "register/import_columns.html",
        file=file,
        key=key,
        headers=headers,
        items=_choices(headers, used),
        checked=checked,
        problem=problem,
    )


def _choices(headers: list[str], used: dict[str, str]) -> list[tuple]:
    """For each Code item: its number, its header, the column chosen, whether it is required,
    and the file's columns to choose from."""
    return [
        (
            number,
            item,
            used.get(item, ""),
            item in REQUIRED,
            [{"value": h, "text": h, "selected": h == used.get(item)} for h in headers if h],
        )
        for number, item in enumerate(ITEMS)
    ]


def _mapping(headers: list[str]) -> dict[str, str]:
    """Each Code item's column as chosen on the page; a choice not in the file counts as none."""
    chosen = {}
    for number, item in enumerate(ITEMS):
        value = request.form.get(f"item-{number}", "")
        chosen[item] = value if value in headers else ""
    return chosen
