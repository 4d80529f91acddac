"""The central record: the register, one page per entry, extracts and the annual return."""

from __future__ import annotations

import re
import tempfile
from datetime import date
from itertools import islice

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

from ripa_guard.accounts.auth import roles_required
from ripa_guard.accounts.models import Role
from ripa_guard.applications.access import WHOLE_HISTORY
from ripa_guard.applications.models import REGISTER_YEARS, Application
from ripa_guard.applications.pages import RegisterWhenRead, definition, offence_register
from ripa_guard.core import audit, clock, db, read_log
from ripa_guard.core.fields import whole_number
from ripa_guard.core.records import record_or_404, refusal
from ripa_guard.law import periods
from ripa_guard.law.status import Shown
from ripa_guard.register import annual_return, central_record, extracts, listing, retention
from ripa_guard.register import overview as overview_of
from ripa_guard.register.central_record import Entry, Filters
from ripa_guard.register.forms import DestroyForm, PeriodForm
from ripa_guard.viewing import reading

bp = Blueprint("register", __name__, url_prefix="/register")

READERS = (Role.SRO, Role.COORDINATOR, Role.INSPECTOR, Role.AUTHORISING_OFFICER)
PAGE_SIZE = 25
#: A page to print is for a period's entries, not the whole history: the spreadsheet is.
PRINT_LIMIT = 2000


def _int_arg(name: str) -> int | None:
    return whole_number(request.args.get(name, ""))


#: A date, or a date and time to the minute, as the extract's columns write them (extracts._d).
_EXTRACT_DATE = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")


@bp.app_template_filter()
def gov_uk_dates(text: str) -> str:
    """An extract's text with its dates as a reader writes them, for the page to print:
    "2 Apr 2026" for 2026-04-02 (the spreadsheet and CSV keep theirs)."""

    def written(found: re.Match) -> str:
        try:
            return periods.short_date(date.fromisoformat(found.group(1)))
        except ValueError:
            return found.group(0)

    return _EXTRACT_DATE.sub(written, text or "")


def _period() -> PeriodForm:
    period = PeriodForm(formdata=request.args)
    period.validate()
    return period


def _link_args(period: PeriodForm) -> dict[str, str]:
    """The query string for links that keep the filters (pages, sort): the period as one
    date each, since three boxes of the same name would not survive a dict."""
    args = {k: v for k, v in request.args.items() if k not in ("from", "to")}
    return {**args, **period.iso()}


def _filters(period: PeriodForm | None = None) -> tuple[Filters, dict[str, str]]:
    """Filters from the query string; anything unreadable is ignored and reported by field."""
    period = period or _period()
    problems = {
        field.name: field.errors[0] for field in (period.date_from, period.date_to) if field.errors
    }
    year = _int_arg("year")
    if request.args.get("year", "").strip() and year not in REGISTER_YEARS:
        problems["year"] = "Enter a year like 2026"
        year = None
    status = request.args.get("status", "")
    # "active" was the stored state's name in links made before statuses were shown as of a day.
    status = {"active": Shown.IN_FORCE.value}.get(status, status)
    if status not in {s.value for s in Shown} | {"threshold_not_met"}:
        status = ""
    filters = Filters(
        year=year,
        status=status,
        service=request.args.get("service", "")[:200],
        offence=request.args.get("offence", "")[:40],
        authorising_officer_id=_int_arg("authoriser"),
        date_from=period.date_from.data,
        date_to=period.date_to.data,
        search=request.args.get("q", "")[:200],
        today=clock.today(),
    )
    return filters, problems


def _entry(application: Application) -> Entry:
    return Entry(application, current_app.config["RETENTION_YEARS"], clock.today())


def _order() -> central_record.Order:
    """The order asked for, if it is one the register offers; otherwise newest first."""
    by = request.args.get("sort", "")
    if by not in central_record.SORTS:
        return central_record.Order()
    return central_record.Order(by, request.args.get("order") != "ascending")


@bp.route("/")
@roles_required(*READERS)
def index():
    period = _period()
    filters, problems = _filters(period)
    number = max(1, _int_arg("page") or 1)
    order = _order()
    s = db.session()
    listed = listing.page(s, filters, number, filters.today, PAGE_SIZE, order)
    # A search that matched more than the register counts has no last page to name.
    pages = None if listed.more else max(1, -(-listed.total // PAGE_SIZE))
    stops = []
    if filters.status in ("", "threshold_not_met") and not filters.authorising_officer_id:
        stops = central_record.threshold_stops(s, filters, offence_register())
    return render_template(
        "register/index.html",
        lines=listed.lines,
        stops=stops,
        total=listed.total,
        more=listed.more,
        number=number,
        pages=pages,
        has_next=len(listed.lines) == PAGE_SIZE if pages is None else number < pages,
        filters=filters,
        problems=problems,
        args=_link_args(period),
        period=period,
        order=order,
        statuses=list(Shown),
        choices=central_record.filter_choices(s),
        offences=offence_register(),
        not_made_references=central_record.NOT_MADE_REFERENCES,
    )


@bp.route("/overview")
@roles_required(*READERS)
def overview():
    """The inspector's home page: the register's counts, the year's figures, what is overdue."""
    return render_template(
        "register/overview.html", overview=overview_of.overview(db.session(), clock.today())
    )


@bp.route("/not-made/<int:triage_id>")
@roles_required(*READERS)
def not_made(triage_id: int):
    """A plan stopped at the crime threshold: its page on the central record."""
    triage = record_or_404(central_record.Triage, triage_id)
    if triage.outcome != central_record.Outcome.CANNOT_BE_AUTHORISED:
        abort(404)
    return render_template(
        "register/not_made.html",
        stop=central_record.NotMade(triage, offence_register()),
        type_of_record=central_record.NOT_MADE,
        not_made_references=central_record.NOT_MADE_REFERENCES,
        why_header=extracts.WHY_NOT_MADE,
    )


@bp.route("/<int:application_id>")
@roles_required(*READERS)
def record(application_id: int):
    application = record_or_404(Application, application_id, options=WHOLE_HISTORY)
    if application.urn is None:
        abort(404)
    read_log.note("central_record_entry", application.id, application.urn)
    return render_template(
        "register/record.html",
        entry=_entry(application),
        application=application,
        definition=definition("application"),
        offences=RegisterWhenRead(),
        history=audit.history(db.session(), "application", application.id),
        today=clock.today(),
        next_review=None,
        papers_url=None,
        viewing_log=reading.application_log(db.session(), application),
        type_of_authorisation=central_record.TYPE_OF_AUTHORISATION,
    )


@bp.route("/extract")
@roles_required(*READERS)
def extract():
    period = _period()
    filters, problems = _filters(period)
    return render_template(
        "register/extract.html",
        filters=filters,
        problems=problems,
        args=request.args,
        period=period,
    )


def _extract_name(filters: Filters, suffix: str) -> str:
    first, last = filters.period or (None, None)
    span = f"{first}-to-{last}" if first else "all"
    return f"central-record-{span}.{suffix}"


def _audit_extract(kind: str, filters: Filters) -> None:
    extracts.record_extract_taken(db.session(), current_user, kind, filters)
    first, last = filters.period or (None, None)
    read_log.note(f"extract_{kind}", None, f"{first} to {last}" if first else "all")


@bp.route("/extract.csv")
@roles_required(*READERS)
def extract_csv():
    filters, problems = _filters()
    if problems:
        abort(400)
    _audit_extract("csv", filters)
    # Its own session: the rows are read after the request's session has gone.
    session = current_app.extensions["ripa_guard.sessionmaker"]()
    chunks = extracts.csv_chunks(
        session, filters, current_app.config["RETENTION_YEARS"], clock.today(), offence_register()
    )
    response = Response(_streamed(chunks), mimetype="text/csv")
    response.headers["Content-Disposition"] = (
        f"attachment; filename={_extract_name(filters, 'csv')}"
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _streamed(chunks):
    # The byte-order mark lets Excel read the file as UTF-8.
    yield "\ufeff"
    yield from chunks


@bp.route("/extract.xlsx")
@roles_required(*READERS)
def extract_xlsx():
    filters, problems = _filters()
    if problems:
        abort(400)
    _audit_extract("xlsx", filters)
    spool = tempfile.TemporaryFile()
    year, today = filters.year, clock.today()
    extra = [annual_return.taken(db.session(), year, today).sheet()] if year else []
    extracts.write_xlsx(
        spool,
        db.session(),
        filters,
        current_app.config["RETENTION_YEARS"],
        today,
        extra,
        offence_register(),
    )
    spool.seek(0)
    return send_file(
        spool,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        as_attachment=True,
        download_name=_extract_name(filters, "xlsx"),
        max_age=0,
    )


@bp.route("/extract/print")
@roles_required(*READERS)
def extract_print():
    filters, problems = _filters()
    if problems:
        abort(400)
    _audit_extract("print", filters)
    s = db.session()
    found = extracts.entries(s, filters, current_app.config["RETENTION_YEARS"], clock.today())
    entries = list(islice(found, PRINT_LIMIT + 1))
    return render_template(
        "register/print.html",
        entries=entries[:PRINT_LIMIT],
        truncated=len(entries) > PRINT_LIMIT,
        columns=extracts.AUTHORISATION_COLUMNS,
        filters=filters,
        stops=list(central_record.iter_threshold_stops(s, filters, offence_register())),
        not_made_references=central_record.NOT_MADE_REFERENCES,
    )


@bp.route("/annual-return")
@roles_required(*READERS)
def annual():
    year = _int_arg("year") or clock.today().year
    if not 2000 <= year <= 2100:
        year = clock.today().year
    found = annual_return.taken(db.session(), year, clock.today())
    return render_template(
        "register/annual_return.html", year=year, figures=found.figures, annual=found
    )


@bp.route("/<int:application_id>/destroy", methods=["GET", "POST"])
@roles_required(Role.SRO)
def destroy(application_id: int):
    """The SRO destroys an entry's details after its retention period: explicit and audited."""
    application = record_or_404(Application, application_id)
    if application.urn is None:
        abort(404)
    entry = _entry(application)
    form = DestroyForm()
    problem = None
    if form.validate_on_submit():
        problem = refusal(
            lambda: retention.destroy_entry(
                db.session(),
                current_user,
                application,
                form.reason.data,
                entry.destroy_after,
                clock.today(),
            )
        )
        if problem is None:
            flash(f"The details of {application.urn} have been destroyed", "success")
            return redirect(url_for("register.record", application_id=application.id))
    return render_template(
        "register/destroy.html", entry=entry, application=application, form=form, problem=problem
    )
