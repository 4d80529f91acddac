"""An inspector takes the year's extract of the central record and opens it."""

from __future__ import annotations

import csv

import openpyxl
import pytest

from ripa_guard.core import clock
from tests.journeys import application

from .cases import active_authorisation
from .visit import Visit


@pytest.fixture
def central_record(app):
    if "register.extract" not in app.view_functions:
        pytest.skip("the central record's extracts (endpoint register.extract) are not built yet")


def download(v: Visit, button: str):
    with v.page.expect_download() as started:
        v.click(button)
    path = v.shots / started.value.suggested_filename
    started.value.save_as(path)
    return path


def test_inspector_takes_the_years_extract_and_opens_it(central_record, visit, people, client, app):
    urn = application(app, active_authorisation(client, app, people, "Counterfeit handbags")).urn
    year = clock.today().year
    v = visit("inspector-takes-an-extract")
    page = v.page
    v.sign_in(people["inspector"])
    v.click_link("Central record")
    v.step("central record")
    assert page.get_by_role("link", name=urn).is_visible()
    v.click_link("Take an extract")
    v.step("take an extract")
    page.get_by_label("Or a calendar year").fill(str(year))

    spreadsheet = openpyxl.load_workbook(download(v, "Download spreadsheet (XLSX)"), read_only=True)
    cells = [
        str(cell)
        for sheet in spreadsheet.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    ]
    assert urn in cells and "Counterfeit handbags" in cells
    assert f"Annual return {year}" in spreadsheet.sheetnames

    with download(v, "Download CSV").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert any(urn in row for row in rows)

    v.click("Page to print")
    v.step("the extract, to print")
    assert page.get_by_text(urn).first.is_visible()
