"""The page for importing the earlier central record: upload, columns, check, import."""

from __future__ import annotations

import hashlib
import io

import openpyxl
import pytest
from sqlalchemy import func, select

from ripa_guard.applications.models import Application
from ripa_guard.core import db
from ripa_guard.register.import_file import ITEMS, TOOK_EFFECT, URN
from ripa_guard.register.spreadsheet import MAX_BYTES
from tests.helpers import check_page
from tests.register.test_import import GOOD, _csv, _row

UPLOAD = "/register/import/"


@pytest.fixture(autouse=True)
def _import_folder(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "IMPORT_FOLDER", str(tmp_path / "imports"))
    return tmp_path / "imports"


def _upload(client, data: bytes, name="record.csv"):
    return client.post(UPLOAD, {"file": (io.BytesIO(data), name)})


def _entries(app) -> int:
    with app.app_context():
        return db.session().scalar(select(func.count()).select_from(Application))


def _mapping_form(page) -> dict:
    form = page.find("input", {"name": "action", "value": "import"}).find_parent("form")
    return {
        i["name"]: i.get("value", "") for i in form.find_all("input") if i["name"] != "csrf_token"
    }


def test_the_coordinator_uploads_checks_and_imports_the_earlier_record(
    app, client, coordinator, _import_folder
):
    client.sign_in(coordinator)
    page = client.get(UPLOAD)
    assert page.find("a", string="Download the template")
    data = _csv(GOOD, _row(urn="TS/2024/021"))
    response = _upload(client, data, name="Old record 2024.csv")
    assert response.status_code == 302
    key = hashlib.sha256(data).hexdigest()
    assert key in response.headers["Location"]
    kept = _import_folder / key
    assert kept.read_bytes() == data
    assert kept.stat().st_mode & 0o777 == 0o600
    with client.client.session_transaction() as session:
        assert not any(data[:20].decode() in str(v) for v in session.values())

    page = client.get(response.headers["Location"])
    assert (
        page.find("select", id=f"item-{ITEMS.index(URN)}").find("option", selected=True)["value"]
        == URN
    )
    url = f"/register/import/{key}"
    checked = client.post_page(
        url,
        {
            "name": "Old record 2024.csv",
            "action": "check",
            **{f"item-{n}": item if item in GOOD else "" for n, item in enumerate(ITEMS)},
        },
    )
    button = checked.find("button", string="Import 2 entries")
    assert button
    assert _entries(app) == 0

    done = client.post(url, _mapping_form(checked))
    assert done.status_code == 302 and done.headers["Location"].endswith("/register/")
    assert _entries(app) == 2
    assert not kept.exists()
    with app.app_context():
        application = db.session().scalar(
            select(Application).where(Application.urn == "TS/2024/021")
        )
        application_id = application.id
    record = client.get(f"/register/{application_id}")
    assert "Imported from Old record 2024.csv on " in record.find(id="imported").get_text()
    assert "Pat Example, Head of Service" in record.get_text()


def test_the_dry_run_shows_every_problem_in_a_table_with_row_and_column(app, client, sro):
    client.sign_in(sro)
    data = _csv(GOOD, _row(urn="TS/2024/022", took="soon"), _row(urn="TS/2024/017"))
    location = _upload(client, data).headers["Location"]
    key = location.split("/")[-1].split("?")[0]
    page = client.post_page(
        f"/register/import/{key}",
        {
            "name": "record.csv",
            "action": "check",
            **{f"item-{n}": item if item in GOOD else "" for n, item in enumerate(ITEMS)},
        },
    )
    rows = [
        [td.get_text(" ", strip=True) for td in tr.find_all("td")]
        for tr in page.find(id="problems").find("tbody").find_all("tr")
    ]
    assert ["3", TOOK_EFFECT] == rows[0][:2] and "Enter a date like" in rows[0][2]
    assert ["4", URN, "TS/2024/017 is also on row 2: each entry has its own URN."] in rows
    assert page.title.string.startswith("Error: ")
    assert not page.find("button", string=lambda s: s and s.startswith("Import"))
    assert _entries(app) == 0


def test_a_file_that_cannot_be_read_is_answered_beside_the_field(client, coordinator):
    client.sign_in(coordinator)
    response = _upload(client, "URN,Title\nTS/1,Caf\xe9\n".encode("cp1252"))
    assert response.status_code == 200
    page = check_page(response.get_data(as_text=True))
    assert "not UTF-8" in page.find(class_="govuk-error-message").get_text()
    assert page.title.string.startswith("Error: ")


def test_a_file_over_the_limit_is_refused_with_a_message(client, coordinator):
    client.sign_in(coordinator)
    response = _upload(client, b"a" * (MAX_BYTES + 100_000))
    assert response.status_code == 413
    assert "smaller than 10 MB" in response.get_data(as_text=True)


def test_the_template_downloads_as_a_workbook_with_the_extract_headers(client, coordinator):
    client.sign_in(coordinator)
    response = client.get_response("/register/import/template.xlsx")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.get_data())).active
    assert [c.value for c in sheet[1]] == list(ITEMS)


@pytest.mark.parametrize(
    "url", [UPLOAD, "/register/import/template.xlsx", "/register/import/" + "0" * 64]
)
def test_officers_authorisers_and_inspectors_cannot_import(
    client, officer, authoriser, inspector, url
):
    for person in (officer, authoriser, inspector):
        client.sign_in(person)
        assert client.get_response(url).status_code == 403
        assert client.post(url, {}).status_code == 403


def test_posting_without_the_csrf_token_is_refused(app, client, coordinator):
    client.sign_in(coordinator)
    data = _csv(GOOD)
    response = client.client.post(UPLOAD, data={"file": (io.BytesIO(data), "record.csv")})
    assert response.status_code == 400
    key = hashlib.sha256(data).hexdigest()
    _upload(client, data)
    response = client.post(f"/register/import/{key}", {"action": "import"}, csrf=False)
    assert response.status_code == 400
    assert _entries(app) == 0


def test_a_file_no_longer_kept_sends_the_coordinator_back_to_upload(client, coordinator):
    client.sign_in(coordinator)
    response = client.get_response("/register/import/" + "a" * 64)
    assert response.status_code == 302 and response.headers["Location"].endswith(UPLOAD)
    assert client.get_response("/register/import/not-a-key").status_code == 302


def test_imported_entries_show_on_the_pages_that_read_the_register(
    app, client, coordinator, sro, authoriser
):
    from tests.register.test_import import _import

    in_force = _row(
        urn="TS/2026/101",
        status="In force",
        cancelled="",
        took="2026-11-02",
        last="2027-02-01",
        authorised="2026-10-30",
    )
    lapsed = _row(
        urn="TS/2026/102",
        status="Lapsed (not cancelled)",
        cancelled="",
        took="2026-01-05",
        last="2026-04-04",
        authorised="2026-01-02",
    )
    refused = _row(
        urn="TS/2025/103",
        status="Refused by authorising officer",
        cancelled="",
        took="",
        last="",
        authorised="",
        **{"Court: date and time of decision (item 11)": ""},
    )
    _import(app, coordinator, _csv(GOOD, in_force, lapsed, refused))
    for person in (coordinator, sro, authoriser):
        client.sign_in(person)
        page = client.get("/register/")
        assert "TS/2026/101" in page.get_text()
        client.get("/dashboard")
    client.sign_in(sro)
    for url in (
        "/register/?status=lapsed",
        "/register/extract/print?from=2024-01-01&to=2026-12-31",
        "/register/annual-return?year=2026",
        "/oversight/errors",
    ):
        response = client.get_response(url)
        assert response.status_code == 200, url
    for url in (
        "/register/extract.csv?from=2024-01-01&to=2026-12-31",
        "/register/extract.xlsx?from=2024-01-01&to=2026-12-31",
    ):
        assert client.get_response(url).status_code == 200, url


def test_a_file_left_a_day_unimported_goes_at_the_next_upload(client, coordinator, _import_folder):
    import os
    import time

    client.sign_in(coordinator)
    first = _csv(GOOD)
    _upload(client, first)
    old = _import_folder / hashlib.sha256(first).hexdigest()
    two_days_ago = time.time() - 2 * 86400
    os.utime(old, (two_days_ago, two_days_ago))
    _upload(client, _csv(_row(urn="TS/2024/077")))
    assert not old.exists()
    assert len(list(_import_folder.iterdir())) == 1
