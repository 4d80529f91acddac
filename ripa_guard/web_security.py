"""Response headers every page carries, and the size of what a request may send."""

from flask import Flask, Response, abort, request

from ripa_guard.core.request_size import Request

#: The GOV.UK Frontend build: the same for everyone, and fine to cache.
PUBLIC_FILES = {"static", "govuk_assets"}

CSP = (
    "default-src 'self'; script-src 'self' 'sha256-{js_enabled}'; style-src 'self'; "
    "img-src 'self' data:; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
# The one inline script govuk-frontend-jinja's template writes, allowed by its hash.
JS_ENABLED = (
    "document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype "
    "? ' govuk-frontend-supported' : '');"
)


def _sha256(text: str) -> str:
    import base64
    import hashlib

    return base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()


def init_app(app: Flask) -> None:
    policy = CSP.format(js_enabled=_sha256(JS_ENABLED))
    app.request_class = Request

    @app.before_request
    def _no_nul_in_the_query():
        # No record holds a NUL (clean_text strips control characters), and PostgreSQL refuses
        # one in any text it is given to compare: a 400, rather than a 500 from the driver.
        if any("\x00" in value for values in request.args.listvalues() for value in values):
            abort(400)
        return None

    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers.setdefault(
                "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
            )
        if request.endpoint not in PUBLIC_FILES:
            # Pages, extracts, court papers and the API's answers show covert surveillance
            # records: never kept in a browser's or a shared cache (ASVS 5.0 V14.3.2). Set over
            # send_file's own "no-cache", which still stores a copy.
            response.headers["Cache-Control"] = "no-store"
        return response
