"""A real OpenID provider for the single sign-on tests (oidc-provider, run by Node), the app set
up to use it, and a browser stand-in that follows the redirects between the two."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import threading
import urllib.error
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pytest

from ripa_guard import create_app

ROOT = Path(__file__).resolve().parents[2]
PROVIDER_SCRIPT = ROOT / "tests" / "sso" / "provider.mjs"
#: The app is driven by Flask's test client, which answers for http://localhost.
CALLBACK = "http://localhost/sign-in/council/callback"
#: The provider's test accounts (provider.mjs), as it starts.
ACCOUNTS = {
    "amy-sro": {
        "email": "amy.ashdown@borsetshire.example.gov.uk",
        "name": "Amy Ashdown",
        "roles": ["RIPA.SRO"],
        "groups": ["grp-sro"],
    },
    "ben-officer": {
        "email": "ben.bramley@borsetshire.example.gov.uk",
        "name": "Ben Bramley",
        "roles": ["RIPA.Officer"],
        "groups": ["grp-officers"],
    },
    "cat-nobody": {
        "email": "cat.cotton@borsetshire.example.gov.uk",
        "name": "Cat Cotton",
        "roles": [],
        "groups": [],
    },
}
#: How long the provider may take to start before the tests give up on it.
START_SECONDS = 30


def _missing_provider() -> str | None:
    if shutil.which("node") is None:
        return "node is not installed: the single sign-on tests run a real OpenID provider on it"
    if not (ROOT / "node_modules" / "oidc-provider" / "package.json").exists():
        return "node_modules/oidc-provider is missing: run `npm ci` (make test does)"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def provider():
    """The provider's issuer URL, once it answers; stopped after the tests."""
    if reason := _missing_provider():
        if os.environ.get("CI"):
            pytest.fail(reason)  # CI installs it (make test runs npm ci): never skip there
        pytest.skip(reason)
    port = _free_port()
    process = subprocess.Popen(
        ["node", str(PROVIDER_SCRIPT), str(port), CALLBACK],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    listening = threading.Event()
    # Read what it says, from the start and to the end, so that a full pipe never stops it.
    threading.Thread(target=_drain, args=(process, listening), daemon=True).start()
    try:
        listening.wait(START_SECONDS)
        if not any("listening on" in line for line in PROVIDER_OUTPUT):
            raise RuntimeError("the OpenID provider did not start:\n" + "".join(PROVIDER_OUTPUT))
        issuer = f"http://127.0.0.1:{port}"
        with urllib.request.urlopen(f"{issuer}/.well-known/openid-configuration") as answer:
            assert json.load(answer)["issuer"] == issuer
        yield issuer
    finally:
        process.terminate()
        process.wait(timeout=10)


#: What the provider has said, for a test that fails to show.
PROVIDER_OUTPUT: list[str] = []


def _drain(process: subprocess.Popen, listening: threading.Event) -> None:
    """Every line the provider writes; `listening` is set once it says it listens (a line
    read from the pipe, however the lines arrived: no select on a buffered reader)."""
    for line in process.stdout:
        PROVIDER_OUTPUT.append(line)
        if "listening on" in line:
            listening.set()
    listening.set()  # it stopped: the waiter looks at poll() to tell


@pytest.fixture(scope="session")
def sso_app(app, provider):
    """The app of the other tests, on the same database, with single sign-on to the provider."""
    keep = (
        "TESTING",
        "SECRET_KEY",
        "AUDIT_KEY",
        "TOTP_KEY",
        "REQUIRE_TOTP_FOR_DECIDERS",
        "AUDIT_HEAD_FILE",
        "DATABASE_URL",
        "COUNCIL_NAME",
    )
    application = create_app(
        {
            **{key: app.config[key] for key in keep},
            "AUTO_MIGRATE": False,
            "OIDC_ISSUER": provider,
            "OIDC_CLIENT_ID": "ripa-guard",
            "OIDC_CLIENT_SECRET": "test-only-client-secret",
            "OIDC_SCOPE": "openid email profile roles groups",
        }
    )
    yield application
    application.extensions["ripa_guard.engine"].dispose()


@pytest.fixture
def council(app, sso_app, provider):
    """The provider's people, put back as they started after each test."""
    people = CouncilAccounts(provider)
    yield people
    for account_id, claims in ACCOUNTS.items():
        people.set(account_id, **claims)


class CouncilAccounts:
    def __init__(self, issuer: str):
        self.issuer = issuer

    def set(self, account_id: str, **claims) -> None:
        """Change an account in the provider, as IT would in Entra ID."""
        request = urllib.request.Request(
            f"{self.issuer}/test/accounts/{account_id}",
            data=json.dumps({**ACCOUNTS[account_id], **claims}).encode(),
            method="PUT",
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request) as answer:
            assert answer.status == 204


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """A person's browser: Flask's test client for the app, urllib (with the provider's
    cookies) for the provider, following each redirect from one to the other."""

    def __init__(self, sso_app):
        self.app = sso_app.test_client()
        self.provider = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar()), _NoRedirects()
        )

    def start(self):
        """Press "Sign in with your council account": the provider's authorisation URL."""
        response = self.app.get("/sign-in/council")
        assert response.status_code == 302, response.status_code
        return response.headers["Location"]

    def sign_in(self, account_id: str, change: dict | None = None, before_return=None):
        """The whole round: at the provider as `account_id`, then back to the app, whose
        answer is returned. `change` alters the authorisation request's parameters on the way,
        as an attacker could; `before_return` runs just before the app gets the answer."""
        url = with_params(self.start(), login_hint=account_id, **(change or {}))
        callback = self.at_provider(url)
        if before_return is not None:
            with before_return():
                return self.app.get(callback)
        return self.app.get(callback)

    def at_provider(self, url: str) -> str:
        """Follow the provider's redirects until it sends the browser back to the app."""
        for _ in range(10):
            try:
                self.provider.open(url)
            except urllib.error.HTTPError as answer:
                if answer.code not in (302, 303):
                    said = "".join(PROVIDER_OUTPUT[-20:])
                    raise AssertionError(
                        f"provider answered {answer.code}: {answer.read()!r}\n{said}"
                    ) from None
                location = answer.headers["Location"]
            else:
                raise AssertionError(f"the provider did not redirect from {url}")
            url = urllib.parse.urljoin(url, location)
            if url.startswith("http://localhost/"):
                parts = urlsplit(url)
                return f"{parts.path}?{parts.query}"
        raise AssertionError("the provider redirected too many times")


def with_params(url: str, **params) -> str:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    query.update(params)
    return urlunsplit(parts._replace(query=urlencode(query)))


@pytest.fixture
def visitor(sso_app, council):
    return Browser(sso_app)
