"""Response headers every page carries."""

from flask import Flask, Response

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
        if response.mimetype == "text/html":
            # Pages show covert surveillance records: never keep them in a shared cache.
            response.headers.setdefault("Cache-Control", "no-store")
        return response
