"""Behind nginx (deploy/): the proxy's headers are trusted only when PROXY_FIX_HOPS says so."""

from __future__ import annotations

import re

import pytest

from ripa_guard import create_app


def _app(database_url, hops: int):
    app = create_app(
        {
            "DATABASE_URL": database_url,
            "AUTO_MIGRATE": False,
            "SECRET_KEY": "x",
            "AUDIT_KEY": "x",
            "PROXY_FIX_HOPS": hops,
        }
    )
    app.config["TESTING"] = True
    return app


def _sign_in_from_another_site(app, **headers):
    """A sign-in posted with a referrer from another site, through the given proxy headers."""
    client = app.test_client()
    page = client.get("/sign-in", headers=headers).get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    return client.post(
        "/sign-in",
        data={"csrf_token": token, "email": "nobody@example.gov.uk", "password": "x" * 12},
        headers={**headers, "Referer": "https://evil.example/"},
    )


@pytest.mark.parametrize("hops, refused", [(1, True), (0, False)])
def test_https_at_the_proxy_is_known_only_when_the_proxy_is_trusted(
    app, database_url, hops, refused
):
    # (`app` brings the database up to date.) Over HTTPS, Flask-WTF refuses a form posted from another site's page (its referrer
    # check); the app knows the browser used HTTPS only from the trusted proxy's header.
    response = _sign_in_from_another_site(
        _app(database_url, hops), **{"X-Forwarded-Proto": "https"}
    )

    assert (response.status_code == 400) is refused
