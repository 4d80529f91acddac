"""The RIPA coordinator imports the council's earlier central record: upload, choose the
columns, check, import. axe checks every page (Visit.step)."""

from __future__ import annotations

import pytest

from tests.register.test_import import GOOD, _csv, _row


@pytest.fixture(autouse=True)
def _import_folder(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "IMPORT_FOLDER", str(tmp_path / "imports"))


def test_the_coordinator_uploads_checks_and_imports_the_earlier_record(visit, people, page):
    v = visit("register-import")
    v.sign_in(people["coordinator"])
    v.goto("/register/", step="central record")
    v.click_link("Import the earlier record")
    v.step("import the earlier record")
    v.click("Upload and choose the columns")
    v.step("import: no file chosen")
    v.expect_error("Select a CSV or Excel file")

    data = _csv(GOOD, _row(urn="TS/2024/021"))
    page.get_by_label("Upload the central record").set_input_files(
        {"name": "Old record 2024.csv", "mimeType": "text/csv", "buffer": data}
    )
    v.click("Upload and choose the columns")
    v.step("choose the columns")
    v.click("Check the file")
    v.step("checked: ready to import")
    v.click("Import 2 entries")
    v.step("imported", readme=None)
    assert "have been imported" in page.locator(".govuk-notification-banner").inner_text()
    assert "TS/2024/021" in page.locator("main").inner_text()
