"""One status everywhere (law.status): the record page, the officer's home page, the register,
its filter and its extracts all say the same thing on the same day."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import openpyxl
import pytest
import time_machine
from sqlalchemy import select

from ripa_guard.applications import lifecycle
from ripa_guard.applications.models import Application, CourtOutcome
from ripa_guard.applications.status_query import shown_status_condition
from ripa_guard.core import db
from ripa_guard.law.status import Shown, included_in
from tests import records

LAPSED = "Lapsed (not cancelled)"


def on(day: date, hour: int = 12):
    return time_machine.travel(datetime(day.year, day.month, day.day, hour, tzinfo=UTC), tick=False)


@pytest.fixture
def lapsed(app, officer, authoriser, coordinator):
    """Approved by the JP on 5 March 2026 (last day Thursday 4 June 2026), never cancelled."""
    return records.active(app, officer, authoriser, coordinator)


def _csv_status(client, url):
    response = client.get_response(url)
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    return {r["URN (item 4)"]: r["Status"] for r in rows}


def test_a_lapsed_authorisation_reads_lapsed_on_every_page_and_extract(
    client, app, lapsed, officer, sro
):
    with on(date(2026, 6, 10)):
        client.sign_in(officer)
        record_page = client.get(f"/applications/{lapsed}")
        home = client.get("/dashboard")
        client.sign_in(sro)
        register = client.get("/register/")
        entry = client.get(f"/register/{lapsed}")
        statuses = _csv_status(client, "/register/extract.csv?year=2026")
        xlsx = client.get_response("/register/extract.xlsx?year=2026")
    assert record_page.find(id="status").get_text(strip=True) == LAPSED
    assert "Active" not in record_page.get_text()
    mine = home.find("caption", string="Applications").find_parent("table")
    assert LAPSED in mine.get_text()
    assert "Active" not in home.get_text()
    assert LAPSED in register.find("tbody").get_text()
    assert entry.find(id="status").get_text(strip=True) == LAPSED
    assert statuses == {"RIPA/2026/0001": LAPSED}
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.get_data()))["Authorisations"]
    header = [c.value for c in sheet[1]]
    assert sheet.cell(2, header.index("Status") + 1).value == LAPSED


def test_on_its_last_day_it_reads_in_force_everywhere(client, app, lapsed, officer, sro):
    with on(date(2026, 6, 4), hour=21):
        client.sign_in(officer)
        record_page = client.get(f"/applications/{lapsed}")
        client.sign_in(sro)
        statuses = _csv_status(client, "/register/extract.csv?year=2026")
    assert record_page.find(id="status").get_text(strip=True) == "In force"
    assert statuses == {"RIPA/2026/0001": "In force"}


def test_the_register_filter_follows_the_shown_status(client, app, lapsed, sro):
    client.sign_in(sro)
    with on(date(2026, 6, 4)):
        assert "RIPA/2026/0001" in client.get("/register/?status=in_force").get_text()
        assert "RIPA/2026/0001" not in client.get("/register/?status=lapsed").get_text()
    with on(date(2026, 6, 5)):
        assert "RIPA/2026/0001" not in client.get("/register/?status=in_force").get_text()
        assert "RIPA/2026/0001" in client.get("/register/?status=lapsed").get_text()
        # A link made before statuses were shown as of a day still finds what is in force.
        assert "RIPA/2026/0001" not in client.get("/register/?status=active").get_text()
        options = client.get("/register/").find(id="f-status").get_text()
    assert "Lapsed (not cancelled)" in options and "Active" not in options


def test_the_query_and_the_rule_agree_on_every_status(app, officer, authoriser, coordinator):
    in_force = records.active(app, officer, authoriser, coordinator, title="In force")
    renewing = records.active(app, officer, authoriser, coordinator, title="Renewing")
    cancelled = records.active(app, officer, authoriser, coordinator, title="Cancelled")
    records.cancel(app, cancelled, authoriser)
    waiting = records.submitted(app, officer, title="Waiting")
    records.approve(app, waiting, authoriser)
    records.submitted(app, officer, title="Submitted")
    refused = records.submitted(app, officer, title="Court refused")
    records.approve(app, refused, authoriser)
    records.court(app, refused, coordinator, outcome=CourtOutcome.REFUSED)
    with app.app_context():
        s = db.session()
        application = s.get(Application, renewing)
        lifecycle.request_renewal(
            s,
            s.get(type(application.officer), officer.id),
            application,
            reasons="Still trading.",
            obtained_so_far="Listings.",
            version=application.version,
            today=date(2026, 5, 20),
            now=datetime(2026, 5, 20, 9, tzinfo=UTC),
        )
        # The renewal stays asked for: "in force, renewal pending".
    seen = set()
    for today in (date(2026, 5, 21), date(2026, 6, 4), date(2026, 6, 5)):
        with app.app_context():
            s = db.session()
            everything = s.scalars(select(Application).where(Application.urn.is_not(None))).all()
            by_rule = {a.id: a.shown_status(today) for a in everything}
            for wanted in Shown:
                found = set(
                    s.scalars(select(Application.id).where(shown_status_condition(wanted, today)))
                )
                expected = {i for i, shown in by_rule.items() if shown in included_in(wanted)}
                assert found == expected, (wanted, today)
            seen |= set(by_rule.values())
    assert {
        Shown.IN_FORCE,
        Shown.RENEWAL_PENDING,
        Shown.LAPSED,
        Shown.CANCELLED,
        Shown.AWAITING_COURT,
        Shown.AWAITING_DECISION,
        Shown.COURT_REFUSED,
    } <= seen
    with app.app_context():
        assert db.session().get(Application, in_force).shown_status(date(2026, 5, 21)) == (
            Shown.IN_FORCE
        )
