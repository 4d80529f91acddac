"""Signing in with the council's account in a real browser: the real OpenID provider
(npm oidc-provider, tests/sso/provider.mjs) and the app each on a port of 127.0.0.1; the
browser goes from one to the other and back. axe checks every page of ripa_guard's."""

from __future__ import annotations

import subprocess
import threading

import pytest
from werkzeug.serving import make_server

from ripa_guard import create_app
from ripa_guard.accounts import single_sign_on
from ripa_guard.accounts.models import Role, User
from ripa_guard.core import db
from tests.sso.conftest import (
    PROVIDER_OUTPUT,
    PROVIDER_SCRIPT,
    ROOT,
    START_SECONDS,
    _drain,
    _free_port,
    _missing_provider,
    with_params,
)

from .visit import Visit


@pytest.fixture
def council_sign_in(app):
    """(base URL of an app with single sign-on, its app): the provider sends people back to it."""
    if reason := _missing_provider():
        pytest.fail(reason)
    provider_port = _free_port()
    issuer = f"http://127.0.0.1:{provider_port}"
    keep = ("TESTING", "SECRET_KEY", "AUDIT_KEY", "TOTP_KEY", "AUDIT_HEAD_FILE", "DATABASE_URL")
    sso_app = create_app(
        {
            **{key: app.config[key] for key in keep},
            "AUTO_MIGRATE": False,
            "REQUIRE_TOTP_FOR_DECIDERS": False,
            "OIDC_ISSUER": issuer,
            "OIDC_CLIENT_ID": "ripa-guard",
            "OIDC_CLIENT_SECRET": "test-only-client-secret",
            "OIDC_SCOPE": "openid email profile roles groups",
        }
    )
    server = make_server("127.0.0.1", 0, sso_app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    provider = subprocess.Popen(
        ["node", str(PROVIDER_SCRIPT), str(provider_port), f"{base}/sign-in/council/callback"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    listening = threading.Event()
    threading.Thread(target=_drain, args=(provider, listening), daemon=True).start()
    try:
        listening.wait(START_SECONDS)
        assert any("listening on" in line for line in PROVIDER_OUTPUT), "".join(PROVIDER_OUTPUT)
        yield base, sso_app
    finally:
        provider.terminate()
        provider.wait(timeout=10)
        server.shutdown()
        sso_app.extensions["ripa_guard.engine"].dispose()


def test_an_officer_signs_in_with_the_council_account_and_gets_the_role_the_sro_mapped(
    page, council_sign_in, sro
):
    base, sso_app = council_sign_in
    with sso_app.app_context():
        s = db.session()
        single_sign_on.add_mapping(s, s.get(User, sro.id), "RIPA.Officer", Role.OFFICER)

    # The test provider signs in whoever login_hint names, with no form: as Ben would type his
    # name at the council's sign-in page, the app's redirect to it gains his login_hint.
    def as_ben(route):
        answer = route.fetch(max_redirects=0)
        headers = {
            **answer.headers,
            "location": with_params(answer.headers["location"], login_hint="ben-officer"),
        }
        route.fulfill(response=answer, headers=headers)

    page.route(f"{base}/sign-in/council*", as_ben)
    v = Visit(page, ROOT / "test-artifacts" / "screenshots" / "council-sign-in")
    v.goto(f"{base}/sign-in", step="sign in: with the council's account offered")
    v.click_link("Sign in with your council account")
    v.step("back from the council's sign-in: home")
    assert page.url == f"{base}/dashboard"
    v.goto(f"{base}/account", step="your account: a council account")
    text = page.locator("main").inner_text()
    assert "Investigating officer" in text and "Change your password" not in text
    # The provider's own pages are not ripa_guard's to check.
    v.loads = [url for url in v.loads if url.startswith(base)]
    v.finish()
