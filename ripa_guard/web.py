"""One blueprint per job; this module registers them and what every template may call."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import Flask, current_app, jsonify, render_template, request, url_for
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from govuk_frontend_wtf.main import wtforms_errors
from govuk_frontend_wtf.wtforms_widgets import GovDateInput

from ripa_guard.accounts.models import Role
from ripa_guard.law import periods, threshold, triage

LONDON = ZoneInfo("Europe/London")


def register(app: Flask) -> None:
    from ripa_guard.accounts import admin_views as admin
    from ripa_guard.accounts import views as auth
    from ripa_guard.applications import decision_views as authorisations
    from ripa_guard.applications import drafting_views as applications
    from ripa_guard.applications import offence_views as offences
    from ripa_guard.applications import papers_views as papers
    from ripa_guard.applications import plan_views as requests
    from ripa_guard.dashboard import views as main
    from ripa_guard.oversight import views as oversight
    from ripa_guard.register import views as records
    from ripa_guard.viewing import api
    from ripa_guard.viewing import investigation_views as investigations
    from ripa_guard.viewing import views as viewings

    for module in (
        auth,
        main,
        requests,
        applications,
        authorisations,
        papers,
        records,
        offences,
        admin,
        viewings,
        investigations,
        api,
        oversight,
    ):
        app.register_blueprint(module.bp)
    app.add_template_global(navigation_items)
    app.add_template_global(radio_items)
    app.add_template_global(error_summary)
    app.add_template_global(Role, "roles")
    app.add_template_global(outcome_title)
    app.add_template_global(threshold.CITATION, "threshold_citation")
    app.add_template_filter(local_time)
    app.add_template_global(periods.long_date)
    app.add_template_global(periods.describe_last_day)
    app.add_template_global(periods.end_is_uncertain)
    for code in (400, 403, 404, 405, 500):
        app.register_error_handler(code, _error_page)
    app.register_error_handler(CSRFError, _csrf_error)


def navigation_items() -> list[dict]:
    """The service navigation for the signed-in user's roles."""
    if not current_user.is_authenticated or current_user.must_change_password:
        return []
    items = [("main.dashboard", "Home", None)]
    if current_user.has_role(Role.OFFICER):
        items.append(("investigations.index", "Your investigations", None))
        items.append(("requests.index", "Your research", None))
        items.append(("viewings.index", "Viewing log", None))
    if current_user.can_decide:
        items.append(("authorisations.queue", "Decisions", None))
    if current_user.has_role(Role.SRO, Role.COORDINATOR):
        items.append(("requests.oversight", "Triage outcomes", None))
        items.append(("viewings.oversight", "Viewings", None))
        items.append(("investigations.held_queue", "Held looks", None))
    if current_user.has_role(Role.SRO, Role.COORDINATOR, Role.INSPECTOR, Role.AUTHORISING_OFFICER):
        items.append(("register.index", "Central record", None))
    if current_user.has_role(Role.COORDINATOR, Role.SRO, Role.AUTHORISING_OFFICER):
        items.append(("offences.index", "Offence register", None))
    if current_user.has_role(Role.OFFICER, Role.AUTHORISING_OFFICER) and not current_user.has_role(
        Role.SRO, Role.COORDINATOR
    ):
        items.append(("oversight.non_ripa_register", "Non-RIPA", None))
    if current_user.has_role(Role.SRO, Role.COORDINATOR, Role.INSPECTOR):
        items.append(("oversight.index", "Oversight", None))
    if current_user.has_role(Role.SRO):
        items.append(("viewings.research_profiles", "Research profiles", None))
        items.append(("admin.users", "Users", None))
    # Signing out is a form (base.html), not a link: a GET must not end a session.
    return [
        {"href": url_for(endpoint), "text": text, "active": request.endpoint == endpoint}
        for endpoint, text, _ in items
    ]


def error_summary(form) -> dict:
    """govuk-frontend-wtf's error summary, with each date's link on its first box: the date's
    own id is on a <div>, which cannot take focus (GOV.UK error summary pattern)."""
    params = wtforms_errors(form)
    dates = {f"#{field.id}" for field in form if isinstance(field.widget, GovDateInput)}
    for error in params["errorList"]:
        if error["href"] in dates:
            error["href"] += "-day"
    return params


def outcome_title(outcome) -> str:
    return triage.Outcome(outcome.value if hasattr(outcome, "value") else outcome).title


def radio_items(question) -> list[dict]:
    """Per-choice hints, merged by position into govuk-frontend-wtf's radio items."""
    return [{"hint": {"text": c.hint}} if c.hint else {} for c in question.choices]


def local_time(moment: datetime | None) -> str:
    """A stored UTC time as a council officer reads it: 3:04pm on Wednesday 25 November 2026."""
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    local = moment.astimezone(LONDON)
    return f"{local:%-I:%M%p}".lower() + f" on {local:%A} {local.day} {local:%B %Y}"


TITLES = {
    400: "There is a problem with the request",
    403: "You do not have access to this page",
    404: "Page not found",
    405: "That action is not possible here",
    500: "Sorry, there is a problem with the service",
}


def _error_page(error):
    code = getattr(error, "code", 500) or 500
    if code == 500:
        current_app.logger.exception("server error")
    if request.path.startswith("/api/"):
        # Tools read JSON: never an HTML page, whatever went wrong.
        return jsonify({"error": TITLES.get(code, TITLES[500])}), code
    return render_template(
        "errors/error.html", code=code, title=TITLES.get(code, TITLES[500])
    ), code


def _csrf_error(error):
    return (
        render_template(
            "errors/error.html",
            code=400,
            title="Your session has expired or the form was sent twice",
            detail="Go back, reload the page and try again. Nothing was saved.",
        ),
        400,
    )
