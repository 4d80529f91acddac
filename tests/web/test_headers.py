"""Response headers and cookies: what a browser is told to refuse, on every kind of page."""

from __future__ import annotations

import re

import pytest

from tests.conftest import PASSWORD

PAGES = ["/sign-in", "/about", "/accessibility", "/no-such-page", "/dashboard"]


def _directives(policy: str) -> dict[str, list[str]]:
    parts = (p.strip().split() for p in policy.split(";") if p.strip())
    return {p[0]: p[1:] for p in parts}


@pytest.mark.parametrize("url", PAGES)
def test_content_security_policy_allows_no_inline_script(client, officer, url):
    client.sign_in(officer)
    policy = _directives(client.get_response(url).headers["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    scripts = policy["script-src"]
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts
    # The only inline script allowed is govuk-frontend's one-liner, by its hash.
    assert [s for s in scripts if s != "'self'"] and all(
        s.startswith("'sha256-") for s in scripts if s != "'self'"
    )
    assert "'unsafe-inline'" not in policy["style-src"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]


def test_no_page_carries_an_inline_script_the_policy_does_not_allow(client, officer):
    import base64
    import hashlib

    client.sign_in(officer)
    response = client.get_response("/dashboard")
    allowed = {
        s.strip("'").removeprefix("sha256-")
        for s in _directives(response.headers["Content-Security-Policy"])["script-src"]
    }
    html = response.get_data(as_text=True)
    inline = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, re.S)
    for body in inline:
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert digest in allowed, f"inline script not allowed by the policy: {body[:80]}"
    assert not re.search(r"<[^>]+\son[a-z]+\s*=", html), "an inline event handler"


@pytest.mark.parametrize("url", PAGES)
def test_framing_sniffing_and_referrer_are_refused(client, url):
    response = client.get_response(url)
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] in {"same-origin", "no-referrer", "strict-origin"}


def test_pages_are_never_cached(client, officer):
    client.sign_in(officer)
    assert client.get_response("/dashboard").headers["Cache-Control"] == "no-store"


def test_json_api_answers_carry_the_headers_too(client):
    response = client.client.post("/api/v1/viewings", json={})
    assert response.status_code == 401
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_hsts_is_sent_behind_https(client, app, monkeypatch):
    assert "Strict-Transport-Security" not in client.get_response("/sign-in").headers
    monkeypatch.setitem(app.config, "SESSION_COOKIE_SECURE", True)
    hsts = client.get_response("/sign-in").headers["Strict-Transport-Security"]
    max_age = int(re.search(r"max-age=(\d+)", hsts).group(1))
    assert max_age >= 31536000 and "includeSubDomains" in hsts


def _session_cookie(response) -> str:
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert cookies, "no session cookie set"
    return cookies[-1]


def test_the_session_cookie_is_http_only_and_same_site(client, officer):
    cookie = _session_cookie(
        client.post("/sign-in", {"email": officer.email, "password": PASSWORD})
    )
    flags = {part.strip().split("=")[0].lower(): part for part in cookie.split(";")}
    assert "httponly" in flags
    assert flags["samesite"].split("=")[1].strip() in {"Lax", "Strict"}
    assert "secure" not in flags  # plain HTTP on a laptop; see the next test for production


def test_the_session_cookie_is_secure_when_configured(client, app, officer, monkeypatch):
    monkeypatch.setitem(app.config, "SESSION_COOKIE_SECURE", True)
    cookie = _session_cookie(
        client.post(
            "/sign-in",
            {"email": officer.email, "password": PASSWORD},
            base_url="https://localhost",
        )
    )
    assert "Secure" in cookie and "HttpOnly" in cookie


def test_the_defaults_keep_cookies_from_scripts_and_other_sites():
    from ripa_guard.config import DefaultConfig

    assert DefaultConfig.SESSION_COOKIE_HTTPONLY is True
    assert DefaultConfig.REMEMBER_COOKIE_HTTPONLY is True
    assert DefaultConfig.SESSION_COOKIE_SAMESITE in {"Lax", "Strict"}


@pytest.mark.parametrize(
    "url",
    ["/register/extract.csv", "/register/extract.xlsx", "/register/extract/print", "/dashboard"],
)
def test_records_and_extracts_are_never_cached(client, coordinator, url):
    client.sign_in(coordinator)
    response = client.get_response(url)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_api_answers_are_never_cached(client):
    response = client.get_response("/api/v1/research-profiles")
    assert response.status_code == 401
    assert response.headers["Cache-Control"] == "no-store"
