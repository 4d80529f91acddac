"""A test client that checks every page as it goes (after notifications-admin's client_request)."""

from __future__ import annotations

import time
from collections import Counter

from bs4 import BeautifulSoup
from flask import Flask, session, url_for
from flask_wtf.csrf import generate_csrf


class PageClient:
    """GETs parse and check the page; POSTs carry a valid CSRF token unless told not to."""

    def __init__(self, app: Flask):
        self.app = app
        self.client = app.test_client()
        self.user = None
        self.generation = None

    def sign_in(self, user) -> PageClient:
        self.user = user
        self.generation = _session_generation(self.app, user.id)
        self._keep_signed_in()
        return self

    def _keep_signed_in(self) -> None:
        # Tests move the clock; a session cookie signed "in the future" would be refused, so
        # the signed-in user is written into the session again before each request.
        if self.user is None:
            return
        with self.client.session_transaction() as s:
            # A session the server moved on (a password changed in it) carries the new number;
            # one the server ended carries none, and the number it was signed in with is stale.
            if s.get("_user_id") == str(self.user.id) and "_generation" in s:
                self.generation = s["_generation"]
            s["_generation"] = self.generation
            s["_user_id"] = str(self.user.id)
            s["_fresh"] = True
            # The session time-outs count from these (ripa_guard/sign_in.py).
            s["signed_in_at"] = s["last_seen"] = time.time()

    def sign_out(self) -> None:
        self.user = None
        self.client.post("/sign-out", data={"csrf_token": self.csrf_token()})

    def csrf_token(self) -> str:
        with self.app.test_request_context():
            token = generate_csrf()
            raw = session["csrf_token"]
        with self.client.session_transaction() as s:
            s["csrf_token"] = raw
        return token

    def get(self, url: str, expected_status: int = 200, **kwargs) -> BeautifulSoup:
        response = self.get_response(url, **kwargs)
        assert response.status_code == expected_status, (
            f"GET {url}: {response.status_code}, expected {expected_status}"
        )
        return check_page(response.get_data(as_text=True))

    def get_page(
        self,
        endpoint: str,
        _expected_status: int = 200,
        _expected_redirect: str | None = None,
        **values,
    ) -> BeautifulSoup | None:
        """GET a page by its endpoint name (after notifications-admin's client_request): the
        status, or the redirect, is what the test expects, and the page passes check_page."""
        with self.app.test_request_context():
            url = url_for(endpoint, **values)
        response = self.get_response(url)
        assert response.status_code == _expected_status, (
            f"GET {endpoint} ({url}): {response.status_code}, expected {_expected_status}"
        )
        if _expected_redirect is not None:
            assert response.headers["Location"].endswith(_expected_redirect), response.headers[
                "Location"
            ]
            return None
        return check_page(response.get_data(as_text=True))

    def get_response(self, url: str, **kwargs):
        self._keep_signed_in()
        return _read(self.client.get(url, **kwargs))

    def post(self, url: str, data: dict | None = None, csrf: bool = True, **kwargs):
        data = dict(data or {})
        self._keep_signed_in()
        if csrf:
            data.setdefault("csrf_token", self.csrf_token())
        return _read(self.client.post(url, data=data, **kwargs))

    def post_page(
        self, url: str, data: dict | None = None, expected_status: int = 200
    ) -> BeautifulSoup:
        """POST expecting the page back (a form with errors), checked like any page."""
        response = self.post(url, data)
        assert response.status_code == expected_status, (
            f"POST {url}: {response.status_code}, expected {expected_status}"
        )
        return check_page(response.get_data(as_text=True))


def _session_generation(app: Flask, user_id: int) -> int:
    """The account's current session generation, as signing in would write it."""
    from ripa_guard.accounts.models import User
    from ripa_guard.core import db

    with app.app_context():
        return db.session().get(User, user_id).session_generation


def _read(response):
    """Read a response whole and close it, as a WSGI server would: a streamed response keeps
    its request (and database session) open until it is closed."""
    response.get_data()
    response.close()
    return response


def check_page(html: str) -> BeautifulSoup:
    """The checks every page must pass: a title, one h1, unique ids, forms with action and CSRF."""
    page = BeautifulSoup(html, "html.parser")
    assert page.title and page.title.string and page.title.string.strip(), "page has no <title>"
    h1s = page.find_all("h1")
    assert len(h1s) == 1, f"page has {len(h1s)} <h1> elements"
    title = " ".join(page.title.string.split()).removeprefix("Error: ")
    heading = " ".join(h1s[0].get_text(" ", strip=True).split())
    assert title.startswith(heading), f"the title {title!r} does not start with the h1 {heading!r}"
    ids = Counter(el["id"] for el in page.find_all(id=True))
    duplicated = [i for i, n in ids.items() if n > 1]
    assert not duplicated, f"ids used more than once: {duplicated}"
    for form in page.find_all("form"):
        assert form.get("action"), f"a form has no action: {form.prettify()[:200]}"
        if (form.get("method") or "get").lower() == "post":
            assert form.find("input", {"name": "csrf_token"}), "a POST form has no CSRF token"
    return page


def error_messages(page: BeautifulSoup) -> dict[str, str]:
    """Field id -> the error message shown next to it."""
    errors = {}
    for message in page.select(".govuk-error-message"):
        group = message.find_parent(class_="govuk-form-group")
        field = group.find(["input", "textarea", "select"]) if group else None
        key = field.get("name") if field else message.get("id", "")
        errors[key] = message.get_text(" ", strip=True).replace("Error:", "").strip()
    return errors


def summary_errors(page: BeautifulSoup) -> list[str]:
    return [a.get_text(strip=True) for a in page.select(".govuk-error-summary__list a")]
