"""One blueprint per job; this module registers them and what every template may call."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import Flask, current_app, g, jsonify, render_template, request, url_for
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from govuk_frontend_wtf.main import wtforms_errors
from govuk_frontend_wtf.wtforms_widgets import GovDateInput
from werkzeug.exceptions import SecurityError

from ripa_guard.accounts.models import DECIDING_ROLES, Role
from ripa_guard.core import db, retry, wording
from ripa_guard.core.clock import local_date
from ripa_guard.council import details, glossary, policy
from ripa_guard.law import periods, threshold, triage, working_days

LONDON = ZoneInfo("Europe/London")
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def register(app: Flask) -> None:
    from ripa_guard.accounts import account_views as account
    from ripa_guard.accounts import admin_views as admin
    from ripa_guard.accounts import sign_on_views as sso
    from ripa_guard.accounts import views as auth
    from ripa_guard.applications import decision_views as authorisations
    from ripa_guard.applications import drafting_views as applications
    from ripa_guard.applications import offence_views as offences
    from ripa_guard.applications import papers_views as papers
    from ripa_guard.applications import plan_views as requests
    from ripa_guard.council import views as council
    from ripa_guard.dashboard import views as main
    from ripa_guard.notifications import views as notifications
    from ripa_guard.oversight import reconcile_views as reconcile
    from ripa_guard.oversight import views as oversight
    from ripa_guard.register import import_views as register_import
    from ripa_guard.register import views as records
    from ripa_guard.viewing import api, capture_api
    from ripa_guard.viewing import capture_views as captures
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
        register_import,
        offences,
        admin,
        viewings,
        investigations,
        api,
        capture_api,
        captures,
        oversight,
        reconcile,
        notifications,
        council,
        account,
        sso,
    ):
        app.register_blueprint(module.bp)
    app.add_template_global(navigation_items)
    app.add_template_global(fixed_url)
    app.add_template_global(record_url)
    app.add_template_global(council_details)
    for helper in (wording.plural, wording.with_article, wording.cited_once, wording.event_words):
        app.add_template_global(helper)
    app.add_template_global(policy.non_ripa_monitoring_allowed)
    app.add_template_global(glossary.CODE_OF_PRACTICE, "code_of_practice")
    app.add_template_global({t.slug: t.term for t in glossary.TERMS}, "glossary_terms")
    app.add_template_global(radio_items)
    app.add_template_global(error_summary)
    app.add_template_global(Role, "roles")
    app.add_template_global(outcome_title)
    app.add_template_global(threshold.CITATION, "threshold_citation")
    app.add_template_filter(local_time)
    app.add_template_global(periods.long_date)
    app.add_template_global(short_date)
    app.add_template_global(periods.describe_last_day)
    app.add_template_global(periods.end_is_uncertain)
    app.add_template_global(working_days.working_day_note)
    for code in (400, 403, 404, 405, 413, 500):
        app.register_error_handler(code, _error_page)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(SecurityError, _unknown_host)
    app.register_error_handler(retry.DATABASE_ERROR, _database_failure)


def navigation_items() -> list[dict]:
    """The service navigation for the signed-in user's roles."""
    if not current_user.is_authenticated or current_user.must_change_password:
        return []
    held = current_user.role_set

    def holds(*roles: Role) -> bool:
        return not held.isdisjoint(roles)

    items = [("main.dashboard", "Home")]
    if holds(Role.OFFICER):
        items.append(("investigations.index", "Your investigations"))
        items.append(("requests.index", "Your research"))
        items.append(("viewings.index", "Viewing log"))
    if holds(*DECIDING_ROLES):
        items.append(("authorisations.queue", "Decisions"))
    if holds(Role.SRO, Role.COORDINATOR):
        items.append(("requests.oversight", "Triage outcomes"))
        items.append(("viewings.oversight", "Viewings"))
        items.append(("investigations.held_queue", "Held looks"))
    if holds(Role.SRO, Role.COORDINATOR, Role.INSPECTOR, Role.AUTHORISING_OFFICER):
        items.append(("register.index", "Central record"))
    if holds(Role.COORDINATOR, Role.SRO, Role.AUTHORISING_OFFICER):
        items.append(("offences.index", "Offence register"))
    if holds(Role.OFFICER, Role.AUTHORISING_OFFICER) and not holds(Role.SRO, Role.COORDINATOR):
        items.append(("oversight.non_ripa_register", "Non-RIPA"))
    if holds(Role.SRO, Role.COORDINATOR, Role.INSPECTOR):
        items.append(("oversight.index", "Oversight"))
    if holds(Role.SRO):
        items.append(("viewings.research_profiles", "Research profiles"))
        items.append(("admin.users", "Users"))
    items.append(("notifications.index", _notifications_text()))
    items.append(("account.index", "Your account"))
    # Signing out is a form (base.html), not a link: a GET must not end a session.
    here = request.endpoint
    return [
        {"href": fixed_url(endpoint), "text": text, "active": here == endpoint}
        for endpoint, text in items
    ]


def fixed_url(endpoint: str, **values) -> str:
    """url_for, for a page whose address has nothing of the request in it (the navigation, the
    footer, the stylesheet): built once for each app and root it is served under, because every
    page asks for a score of them (issue 19)."""
    key = (request.script_root, endpoint, *sorted(values.items()))
    built = _remembered("ripa_guard.fixed_urls")
    url = built.get(key)
    if url is None:
        url = built[key] = url_for(endpoint, **values)
    return url


def record_url(endpoint: str, **ids: int) -> str:
    """url_for, for a page whose address holds only whole numbers (an application's, a
    renewal's id): the address is built once with stand-ins and then filled in, because a
    table of 50 rows with a link each spent a millisecond building them (issue 19)."""
    key = (request.script_root, endpoint, *sorted(ids))
    built = _remembered("ripa_guard.record_urls")
    pattern = built.get(key)
    if pattern is None:
        stand_ins = {name: 7_000_000_000_001 + n for n, name in enumerate(sorted(ids))}
        pattern = url_for(endpoint, **stand_ins).replace("{", "{{").replace("}", "}}")
        for name, stand_in in stand_ins.items():
            pattern = pattern.replace(str(stand_in), "{" + name + "}")
        built[key] = pattern
    return pattern.format(**{name: int(value) for name, value in ids.items()})


def _remembered(name: str) -> dict:
    """This app's addresses built so far, by the root they are served under (the server's
    setting, not the client's); emptied past a bound, so nothing a request sends can grow it."""
    built = current_app.extensions.setdefault(name, {})
    if len(built) > 2000:
        built.clear()
    return built


def council_details() -> details.Details:
    """The council's details in force, read once a request (council/details.py)."""
    return details.current(db.session())


def _notifications_text() -> str:
    # Counted before the request (notifications.views), so the navigation queries nothing.
    unread = g.get("unread_notifications", 0)
    return f"Notifications ({unread} unread)" if unread else "Notifications"


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
    # By hand rather than strftime: a table of 100 times spent a millisecond formatting.
    hour, noon = local.hour % 12 or 12, "am" if local.hour < 12 else "pm"
    day, month = _DAYS[local.weekday()], _MONTHS[local.month - 1]
    return f"{hour}:{local.minute:02d}{noon} on {day} {local.day} {month} {local.year}"


def short_date(value: date | datetime | None) -> str:
    """A day in a dense table, "29 Apr 2026"; a stored UTC time as its day in London."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = local_date(value)
    return periods.short_date(value)


TITLES = {
    400: "There is a problem with the request",
    403: "You do not have access to this page",
    404: "Page not found",
    405: "That action is not possible here",
    413: "What you sent is too large",
    500: "Sorry, there is a problem with the service",
    503: "The service is busy",
}


def _error_page(error):
    code = getattr(error, "code", 500) or 500
    if code == 500:
        current_app.logger.exception("server error")
    if request.path.startswith("/api/"):
        # Tools read JSON: never an HTML page, whatever went wrong.
        return jsonify({"error": TITLES.get(code, TITLES[500])}), code
    return _page_or_bare(code, _too_large() if code == 413 else ""), code


def _too_large() -> str:
    limit = request.max_content_length or 0
    megabytes = max(1, limit // (1024 * 1024))
    return f"This page takes up to {megabytes} MB: send something smaller than {megabytes} MB."


def _database_failure(error: Exception):
    """A wait cut short by its bound, or a connection lost: the transaction was rolled back,
    so the answer is 503 and "try again" (Retry-After); anything else is the app's fault: 500."""
    if not retry.is_worth_retrying(error):
        raise error  # the app's own fault: Flask's 500, with the traceback logged
    db.roll_back()
    current_app.logger.warning("database unavailable, answered 503: %s", error.orig)
    wait = current_app.config.get("RETRY_AFTER_SECONDS", 5)
    detail = f"Nothing was saved. Try again in {wait} seconds."
    if request.path.startswith("/api/"):
        response = jsonify({"error": f"{TITLES[503]}. {detail}", "retry_after": wait})
    else:
        response = current_app.make_response(_page_or_bare(503, detail))
    response.status_code = 503
    response.headers["Retry-After"] = str(wait)
    return response


def _page_or_bare(code: int, detail: str = "") -> str:
    """The error page; if even that cannot be drawn (the database is gone and the page wants
    the signed-in user), a page that needs nothing: never the app server's bare 500."""
    title = TITLES.get(code, TITLES[500])
    try:
        return render_template("errors/error.html", code=code, title=title, detail=detail)
    except Exception:
        current_app.logger.exception("could not draw the error page")
        db.roll_back()
        return _bare(title, detail)


def _bare(title: str, detail: str) -> str:
    """The page that needs nothing: drawn without the context processors, which would read
    the signed-in user from the database."""
    template = current_app.jinja_env.get_template("errors/bare.html")
    return template.render(
        title=title, detail=detail, service_name=current_app.config["SERVICE_NAME"]
    )


def _unknown_host(_error):
    """A Host header not in TRUSTED_HOSTS: no address can be built for it, so a bare page."""
    if request.path.startswith("/api/"):
        return jsonify({"error": "This service is not reached at that host name"}), 400
    return _bare(
        "This service is not reached at that address",
        "Use the address your council gave you for the service.",
    ), 400


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
