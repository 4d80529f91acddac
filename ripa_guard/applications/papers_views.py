"""The papers for the magistrates' court hearing: a printable page and a PDF."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, abort, current_app, render_template, request
from flask_login import current_user

from ripa_guard import ROOT
from ripa_guard.accounts.auth import roles_required
from ripa_guard.accounts.models import Role
from ripa_guard.applications import court_papers, definitions
from ripa_guard.applications.access import application_for_reading
from ripa_guard.applications.definitions import FormDefinition
from ripa_guard.applications.models import Application, Renewal, RenewalStatus
from ripa_guard.applications.pages import definition, offence_register
from ripa_guard.core import db, read_log
from ripa_guard.core.fields import whole_number
from ripa_guard.council import details

bp = Blueprint("papers", __name__, url_prefix="/applications")

#: Besides the applicant, the people who prepare the papers or present them in court.
PREPARERS = (Role.COORDINATOR, Role.SRO, Role.AUTHORISING_OFFICER)
#: The stylesheet source in a checkout; an installed package has only the built copy.
PRINT_CSS_SOURCE = ROOT / "assets" / "print.css"
PRINT_CSS_BUILT = "css/print.css"


def _papers_or_abort(application_id: int) -> tuple[Application, Renewal | None]:
    """Load or 404; the applicant or a preparer, or 403; then 404 unless there is an approval
    waiting for (or given by) a magistrate."""
    application = application_for_reading(application_id)
    if application.officer_id != current_user.id and not current_user.has_role(*PREPARERS):
        abort(403)
    renewal = None
    if "renewal" in request.args:
        renewal_id = whole_number(request.args.get("renewal"))
        renewal = db.session().get(Renewal, renewal_id) if renewal_id else None
        if renewal is None:
            abort(404)
    if not court_papers.has_papers(application, renewal):
        abort(404)
    return application, renewal


def _court_form() -> FormDefinition:
    # A coordinator's own FORMS_DIR may not carry the court form: fall back to the shipped one.
    forms = current_app.extensions["ripa_guard.forms"]
    return forms.get("court_order") or definitions.load(ROOT / "forms" / "court_order.toml")


def _context(
    application: Application, renewal: Renewal | None, number_of_pages: int | None = None
) -> dict:
    config = current_app.config
    council = details.current(db.session())
    pending = application.pending_renewal
    return {
        "application": application,
        "renewal": renewal,
        "pending_renewal": (
            pending if pending and pending.status == RenewalStatus.AWAITING_COURT else None
        ),
        "council_name": council.name,
        "court_register_code": config.get("COURT_REGISTER_CODE", ""),
        "court_form": _court_form(),
        "values": court_papers.values(
            application,
            council,
            renewal,
            number_of_pages,
            config.get("COURT_REGISTER_CODE", ""),
        ),
        "authorisation": court_papers.authorisation(application, renewal),
        "details": court_papers.application_details(application),
        "definition": definition("application"),
        "offences": offence_register(),
    }


@bp.route("/<int:application_id>/court-papers", endpoint="court_papers")
@roles_required(Role.OFFICER, *PREPARERS)
def court_papers_page(application_id: int):
    application, renewal = _papers_or_abort(application_id)
    read_log.note("court_papers", application.id)
    return render_template("papers/court_papers.html", **_context(application, renewal))


@bp.route("/<int:application_id>/court-papers.pdf")
@roles_required(Role.OFFICER, *PREPARERS)
def court_papers_pdf(application_id: int):
    application, renewal = _papers_or_abort(application_id)
    read_log.note("court_papers_pdf", application.id)
    response = Response(_pdf(application, renewal), mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{court_papers.filename(application, renewal)}"'
    )
    # A record of covert surveillance: never keep it in a shared cache.
    response.headers["Cache-Control"] = "no-store"
    return response


def _pdf(application: Application, renewal: Renewal | None) -> bytes:
    """The papers through WeasyPrint; rendered again once the number of pages is known, so the
    form can say how many pages it has."""
    # Imported here: WeasyPrint takes a while to load, and only the PDF needs it.
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    stylesheet = CSS(string=_print_css())
    # The papers need nothing from outside; fetch nothing, whatever an answer contains.
    fetcher = URLFetcher(allowed_protocols=frozenset())
    number_of_pages = None
    for _attempt in range(3):
        html = render_template(
            "papers/court_papers_pdf.html", **_context(application, renewal, number_of_pages)
        )
        document = HTML(string=html, base_url=str(ROOT), url_fetcher=fetcher).render(
            stylesheets=[stylesheet], **TAGGED
        )
        if len(document.pages) == number_of_pages:
            break
        number_of_pages = len(document.pages)
    return document.write_pdf(**TAGGED)


#: A tagged PDF (PDF/UA-1): a screen reader reads its headings, tables and text in order, as
#: it reads the page the papers are printed from (Public Sector Bodies Accessibility
#: Regulations 2018: documents published by a council).
TAGGED = {"pdf_variant": "pdf/ua-1", "pdf_tags": True}


def _print_css() -> str:
    """assets/print.css where there is a checkout, so the PDF never waits for `npm run build`;
    otherwise the copy the build put in the static folder."""
    if PRINT_CSS_SOURCE.is_file():
        return PRINT_CSS_SOURCE.read_text(encoding="utf-8")
    return (Path(current_app.static_folder) / PRINT_CSS_BUILT).read_text(encoding="utf-8")
