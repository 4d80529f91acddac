"""The SRO's page for checking a proxy log: upload, the result, bad files, and nobody else."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest

from ripa_guard.core.request_size import LARGE_BODIES
from tests.helpers import check_page, error_messages

from .test_reconcile import PROFILE, T0, log_viewing, squid

URL = "/oversight/reconcile/"


def upload(client, text: str, name="access.log", fmt="squid", users: str | None = None):
    data = {"file": (io.BytesIO(text.encode()), name), "file_format": fmt}
    if users is not None:
        data["users"] = (io.BytesIO(users.encode()), "users.csv")
    return client.post(URL, data, content_type="multipart/form-data")


def test_the_sro_uploads_a_log_and_sees_what_it_found(client, app, sro, olive, case):
    log_viewing(app, olive, case, PROFILE, T0)
    lines = [
        squid(T0, PROFILE),
        squid(T0 + timedelta(hours=3), "https://www.instagram.com/someone.else.example/"),
        squid(T0, "https://www.borsetshire.example.gov.uk/"),
        squid(T0, "www.facebook.com:443", method="CONNECT", kind="-"),
        "not a line",
        squid(T0, PROFILE, user="stranger"),
    ]
    client.sign_in(sro)
    response = upload(client, "\n".join(lines))
    assert response.status_code == 302
    page = check_page(client.client.get(response.headers["Location"]).get_data(as_text=True))
    result = {
        row.dt.get_text(strip=True): row.dd.get_text(" ", strip=True)
        for row in page.select("#result .govuk-summary-list__row")
    }
    assert result["Looks at profiles by officers"] == "2"
    assert result["Matched to a logged viewing"] == "1"
    assert result["Not in the viewing log"] == "1"
    assert result["Requests to other sites (ignored)"] == "1"
    assert result["Host only (HTTPS tunnels: no profile can be named)"].startswith("1, of which 1")
    assert result["Malformed lines (skipped)"] == "1"
    by_officer = page.select_one("#by-officer tbody").get_text(" ", strip=True)
    assert "Trading Standards Olive Officer 1" in by_officer
    unlogged = page.select_one("#unlogged tbody").get_text(" ", strip=True)
    assert "Instagram: someone.else.example" in unlogged and "Error" in unlogged
    assert page.select_one("#malformed tbody td").get_text(strip=True) == "5"
    assert "stranger" in page.select_one("#unknown-users").get_text()
    # The errors page lists the proposal, and the oversight page links here.
    errors = client.get("/oversight/errors")
    assert "Proxy log" in errors.get_text()
    assert client.get("/oversight/").find("a", href=URL)


@pytest.mark.parametrize(
    ("text", "fmt", "message"),
    [
        ("", "squid", "The file is empty"),
        ("time,user,address\n2026-03-31T10:00:00,olive,https://x.example/\n", "squid", "CSV"),
        ("when,who\n1,2\n", "csv", "time, user and address"),
    ],
)
def test_a_bad_file_is_explained_next_to_the_field(client, sro, text, fmt, message):
    client.sign_in(sro)
    response = upload(client, text, fmt=fmt)
    assert response.status_code == 200
    page = check_page(response.get_data(as_text=True))
    assert message in error_messages(page)["file"]
    assert page.title.string.startswith("Error: ")


def test_a_users_file_that_is_not_one_is_explained_next_to_its_field(client, sro, olive, case):
    client.sign_in(sro)
    page = check_page(upload(client, squid(T0, PROFILE), users="no comma here\n").get_data(True))
    assert "users file" in error_messages(page)["users"]


def test_no_file_and_no_format_are_asked_for(client, sro):
    client.sign_in(sro)
    page = client.post_page(URL, {"file_format": "elsewhere"})
    errors = error_messages(page)
    assert errors["file"] == "Select the proxy log"
    assert errors["file_format"] == "Select the log's format"


@pytest.mark.parametrize("who", ["officer", "coordinator", "authoriser", "inspector"])
def test_only_the_sro_may_check_a_proxy_log(client, request, who):
    client.sign_in(request.getfixturevalue(who))
    assert client.get_response(URL).status_code == 403
    assert upload(client, squid(T0, PROFILE)).status_code == 403


def test_an_upload_without_its_csrf_token_is_refused(client, sro):
    client.sign_in(sro)
    data = {"file": (io.BytesIO(b"x"), "access.log"), "file_format": "squid"}
    response = client.post(URL, data, csrf=False, content_type="multipart/form-data")
    assert response.status_code == 400


def test_the_upload_takes_the_setting_s_size_and_no_more(app):
    limit = app.config["RECONCILE_UPLOAD_MAX_BYTES"]
    assert limit == 200 * 1024 * 1024
    assert limit < LARGE_BODIES["reconcile.upload"] < limit + 2 * 1024 * 1024
