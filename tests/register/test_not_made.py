"""Plans stopped at the crime threshold, as the central record shows them: a reference of their
own, the offence by its title and section, and why no application could be made."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import openpyxl
import pytest
import time_machine

from tests.journeys import MONITOR_SUBLETTING, answer_triage

REFERENCE = "Not made: RIPA/2026/NM0001"
OFFENCE = (
    "Knowingly sub-letting a secure tenancy (Prevention of Social Housing Fraud Act 2013, s.1(1))"
)
WHY = "Why no application could be made"


@pytest.fixture
def stopped(client, officer, sro):
    client.sign_in(officer)
    with time_machine.travel(datetime(2026, 6, 1, 10, tzinfo=UTC), tick=False):
        triage_id = answer_triage(client, MONITOR_SUBLETTING, title="Flat 4 sub-letting")
    client.sign_in(sro)
    return triage_id


def _reads_as_not_made(text: str) -> None:
    assert REFERENCE in text
    assert OFFENCE in text
    assert "carries no prison sentence" in text
    assert "Order 2010 (SI 2010/521), article 7A" in text
    assert "NOT-MADE" not in text
    assert "PSHFA-1-1" not in text


def test_a_threshold_stop_reads_as_not_made_on_the_register_page(client, stopped):
    page = client.get("/register/?year=2026")
    table = page.select_one("#not-made-table")
    headers = [th.get_text(strip=True) for th in table.select("thead th")]
    assert WHY in headers and "Offence" in headers
    _reads_as_not_made(table.get_text(" "))
    link = table.find("a", string=REFERENCE)
    assert link["href"] == f"/register/not-made/{stopped}"
    assert 'NM ("not made")' in page.get_text()


def test_a_threshold_stop_has_its_own_page_on_the_record(client, stopped):
    page = client.get(f"/register/not-made/{stopped}")
    assert page.h1.get_text(strip=True) == f"{REFERENCE}: Flat 4 sub-letting"
    assert page.select_one("#offence").get_text(strip=True) == OFFENCE
    _reads_as_not_made(page.select_one("#why").get_text(" ") + page.get_text(" "))
    assert "counted separately from the URNs" in page.select_one("#about-reference").get_text()


def test_a_plan_that_was_not_stopped_has_no_not_made_page(client, app, officer, sro):
    from tests.journeys import MONITOR_SELLER

    client.sign_in(officer)
    triage_id = answer_triage(client, MONITOR_SELLER)
    client.sign_in(sro)
    assert client.get_response(f"/register/not-made/{triage_id}").status_code == 404
    assert client.get_response("/register/not-made/999999").status_code == 404


def test_a_threshold_stop_reads_as_not_made_in_the_csv(client, stopped):
    response = client.get_response("/register/extract.csv?year=2026")
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    [row] = [r for r in rows if r["Title of the investigation (item 5)"] == "Flat 4 sub-letting"]
    assert row["URN (item 4)"] == REFERENCE
    assert row["Offence"] == OFFENCE
    assert row["Reason for cancellation"] == ""
    _reads_as_not_made(row[WHY] + row["URN (item 4)"] + row["Offence"])


def test_a_threshold_stop_reads_as_not_made_in_the_xlsx(client, stopped):
    response = client.get_response("/register/extract.xlsx?year=2026")
    sheet = openpyxl.load_workbook(io.BytesIO(response.get_data()))["Authorisations"]
    headers = [c.value for c in sheet[1]]
    rows = [
        dict(zip(headers, [c.value for c in r], strict=True)) for r in sheet.iter_rows(min_row=2)
    ]
    [row] = [r for r in rows if r["Title of the investigation (item 5)"] == "Flat 4 sub-letting"]
    assert row["URN (item 4)"] == REFERENCE
    assert row["Offence"] == OFFENCE
    assert not row["Reason for cancellation"]
    _reads_as_not_made(row[WHY] + row["URN (item 4)"] + row["Offence"])


def test_a_threshold_stop_reads_as_not_made_on_the_print_page(client, stopped):
    page = client.get("/register/extract/print?year=2026")
    table = page.select_one("#not-made-table")
    assert WHY in [th.get_text(strip=True) for th in table.select("thead th")]
    _reads_as_not_made(table.get_text(" "))


def test_not_made_references_count_on_by_year_and_are_found_by_the_search_box(client, officer, sro):
    client.sign_in(officer)
    for title, day in (("First stop", 1), ("Second stop", 2)):
        with time_machine.travel(datetime(2026, 6, day, 10, tzinfo=UTC), tick=False):
            answer_triage(client, MONITOR_SUBLETTING, title=title)
    with time_machine.travel(datetime(2027, 1, 4, 10, tzinfo=UTC), tick=False):
        answer_triage(client, MONITOR_SUBLETTING, title="Next year's stop")
    client.sign_in(sro)
    text = client.get("/register/").select_one("#not-made-table").get_text(" ")
    for reference in ("RIPA/2026/NM0001", "RIPA/2026/NM0002", "RIPA/2027/NM0001"):
        assert reference in text
    found = client.get("/register/?q=RIPA/2026/NM0002").select_one("#not-made-table")
    assert "Second stop" in found.get_text() and "First stop" not in found.get_text()


def test_the_registers_filters_narrow_its_stopped_plans_too(client, stopped):
    """The filters the register's entries are narrowed by narrow the stopped plans beside them:
    the officer's service, the offence named, the period, and statuses or an authorising
    officer that only an application can have."""

    def shown(**filters) -> bool:
        return (
            client.get("/register/", query_string=filters).select_one("#not-made-table") is not None
        )

    assert shown()
    assert shown(service="Trading Standards") and not shown(service="Licensing")
    assert shown(offence="PSHFA-1-1") and not shown(offence="FRAUD-1")
    assert not shown(offence="PSHFA_1_1") and not shown(offence="%")  # not wildcards
    assert shown(year="2026") and not shown(year="2027")
    assert shown(**{"from": "2026-06-01", "to": "2026-06-01"})
    assert not shown(**{"from": "2026-06-02", "to": "2026-12-31"})
    assert shown(q="sub-letting") and not shown(q="letting flat")
    assert shown(status="threshold_not_met") and not shown(status="in_force")
    assert shown(q="flat 4", service="Trading Standards", offence="PSHFA-1-1", year="2026")


def test_an_extracts_filters_narrow_its_stopped_plans_too(client, stopped):
    def extracted(**filters) -> bool:
        response = client.get_response("/register/extract.csv", query_string=filters)
        return "Flat 4 sub-letting" in response.get_data(as_text=True)

    assert extracted(year="2026") and not extracted(year="2027")
    assert extracted(service="Trading Standards") and not extracted(service="Licensing")
    assert extracted(offence="PSHFA-1-1") and not extracted(offence="FRAUD-1")
    assert extracted(q="Sub-Letting") and not extracted(q="letting flat")
    assert not extracted(status="in_force")
