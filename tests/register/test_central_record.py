"""The central record: register page, record page, extracts, annual return, URNs."""

from __future__ import annotations

import csv
import io
import re
import threading
import tracemalloc
from datetime import UTC, date, datetime

import openpyxl
import pytest
import time_machine
from openpyxl.utils import get_column_letter

from ripa_guard.accounts.models import Role, User
from ripa_guard.applications import drafting, plans
from ripa_guard.applications.urn import allocate_urn
from ripa_guard.core import db
from ripa_guard.register import central_record, extract_rows, extracts
from ripa_guard.register.central_record import Filters
from tests import records
from tests.journeys import MONITOR_SELLER, MONITOR_SUBLETTING, STATEMENTS, answer_triage
from tests.register.test_search_box import _draft

CODE_ITEMS = {
    1: "Type of authorisation (item 1)",
    2: "Date authorised (item 2)",
    3: "Authorising officer, name and grade (item 3)",
    4: "URN (item 4)",
    5: "Title of the investigation (item 5)",
    6: "Reviews: date and result (item 6)",
    7: "Renewals: when, who, court (item 7)",
    8: "Confidential or privileged information likely (item 8)",
    9: "Authorising officer directly involved (item 9)",
    10: "Date of cancellation (item 10)",
    11: "Court: date and time of decision (item 11)",
}


@pytest.fixture
def full_record(app, officer, authoriser, coordinator):
    """One authorisation through its whole life: granted, reviewed, cancelled."""
    application_id = records.active(app, officer, authoriser, coordinator)
    records.review(app, application_id, authoriser)
    records.cancel(app, application_id, authoriser)
    return application_id


def _csv(client, url):
    response = client.get_response(url)
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def test_every_code_item_is_in_the_csv_extract(client, full_record, sro):
    client.sign_in(sro)
    rows = _csv(client, "/register/extract.csv?from=2026-01-01&to=2026-12-31")
    assert set(CODE_ITEMS.values()) <= set(rows[0])
    row = rows[0]
    assert row[CODE_ITEMS[4]] == "RIPA/2026/0001"
    assert row[CODE_ITEMS[1]].startswith("Directed surveillance")
    assert row[CODE_ITEMS[2]] == "2026-03-03 10:00"
    assert row[CODE_ITEMS[3]] == "Arthur Authoriser, Head of Service"
    assert row[CODE_ITEMS[5]] == "Counterfeit handbags"
    assert row["Subjects (item 5)"] == "Bargain Bags"
    assert row[CODE_ITEMS[6]] == "2026-04-02: continue (Arthur Authoriser)"
    assert row[CODE_ITEMS[8]] == "No" and row[CODE_ITEMS[9]] == "No"
    assert row[CODE_ITEMS[10]] == "2026-04-10"
    assert row[CODE_ITEMS[11]] == "2026-03-05 15:00"
    assert row["Court: magistrate (item 11)"] == "A. N. Justice JP"
    assert row["Record kept until at least"] == "2029-04-10"


def test_every_code_item_is_in_the_xlsx_extract(client, full_record, inspector):
    client.sign_in(inspector)
    response = client.get_response("/register/extract.xlsx?year=2026")
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.get_data()))
    assert workbook.sheetnames == [
        "Authorisations",
        "Reviews",
        "Renewals",
        "Court hearings",
        "Cancellations",
        "Viewing log",
        "Captured material",
        "Annual return 2026",
    ]
    sheet = workbook["Authorisations"]
    headers = [c.value for c in sheet[1]]
    assert set(CODE_ITEMS.values()) <= set(headers)
    values = dict(zip(headers, [c.value for c in sheet[2]], strict=True))
    assert values[CODE_ITEMS[4]] == "RIPA/2026/0001"
    assert values[CODE_ITEMS[3]] == "Arthur Authoriser, Head of Service"
    assert sheet.column_dimensions["A"].width > 10
    reviews = workbook["Reviews"]
    assert [c.value for c in reviews[2]][:5] == [
        "RIPA/2026/0001",
        datetime(2026, 4, 2),
        datetime(2026, 4, 2),
        "Arthur Authoriser",
        "continue",
    ]
    assert workbook["Cancellations"].cell(2, 5).value == "Seller identified."
    assert workbook["Court hearings"].cell(2, 6).value == "Approved"
    annual = {r[0].value: r[1].value for r in workbook["Annual return 2026"].iter_rows(min_row=2)}
    assert annual["Directed surveillance authorisations granted (approved by a magistrate)"] == 1


def test_the_xlsx_has_real_dates_a_filter_on_each_sheet_and_a_frozen_header(
    client, full_record, inspector
):
    """A spreadsheet sorts and filters real dates; the CSV keeps ISO text (test above)."""
    client.sign_in(inspector)
    response = client.get_response("/register/extract.xlsx?year=2026")
    workbook = openpyxl.load_workbook(io.BytesIO(response.get_data()))
    sheet = workbook["Authorisations"]
    headers = [c.value for c in sheet[1]]
    kept = sheet.cell(2, headers.index("Record kept until at least") + 1)
    assert kept.value == datetime(2029, 4, 10) and kept.number_format == "d mmm yyyy"
    submitted = sheet.cell(2, headers.index("Submitted") + 1)
    assert isinstance(submitted.value, datetime) and "hh:mm" in submitted.number_format
    for each in workbook.worksheets:
        assert each.freeze_panes == "A2", each.title
        last = get_column_letter(each.max_column)
        assert each.auto_filter.ref == f"A1:{last}{each.max_row}", each.title


def test_renewal_is_in_every_extract(app, client, officer, authoriser, coordinator, sro):
    from ripa_guard.applications import lifecycle
    from ripa_guard.applications.models import Application, CourtOutcome, Decision

    application_id = records.active(app, officer, authoriser, coordinator)
    with app.app_context():
        s = db.session()
        a = s.get(Application, application_id)
        renewal = lifecycle.request_renewal(
            s,
            s.get(type(officer), officer.id),
            a,
            reasons="More.",
            obtained_so_far="Listings.",
            version=a.version,
            today=date(2026, 5, 20),
            now=datetime(2026, 5, 20, 9, tzinfo=UTC),
        )
        lifecycle.decide_renewal(
            s,
            s.get(type(authoriser), authoriser.id),
            a,
            renewal=renewal,
            decision=Decision.APPROVED,
            what_authorised="Same pages.",
            reasons="Still needed.",
            review_interval_days=28,
            directly_involved=False,
            directly_involved_reason="",
            version=renewal.version,
            now=datetime(2026, 5, 22, 9, tzinfo=UTC),
            statements=STATEMENTS,
        )
        lifecycle.record_renewal_court_decision(
            s,
            s.get(type(coordinator), coordinator.id),
            a,
            renewal=renewal,
            court="Borchester Magistrates' Court",
            hearing_date=date(2026, 5, 28),
            magistrate="B. Bench JP",
            outcome=CourtOutcome.APPROVED,
            decided_at=datetime(2026, 5, 28, 14, tzinfo=UTC),
            notes="",
            version=renewal.version,
            now=datetime(2026, 5, 28, 16, tzinfo=UTC),
        )
    client.sign_in(sro)
    row = _csv(client, "/register/extract.csv?year=2026")[0]
    assert (
        "Renewal 1: approved; authorising officer Arthur Authoriser, Head of Service on 2026-05-22 10:00"
        in row[CODE_ITEMS[7]]
    )
    assert "B. Bench JP, approved at 2026-05-28 15:00" in row[CODE_ITEMS[7]]
    assert "period 2026-06-04 to 2026-09-03" in row[CODE_ITEMS[7]]


def test_refused_applications_and_threshold_stops_are_on_the_record(
    app, client, officer, authoriser, sro
):
    from ripa_guard.applications import lifecycle
    from ripa_guard.applications.models import Application, Decision

    application_id = records.submitted(app, officer, title="Refused one")
    with app.app_context():
        s = db.session()
        a = s.get(Application, application_id)
        lifecycle.decide_application(
            s,
            s.get(type(authoriser), authoriser.id),
            a,
            decision=Decision.REFUSED,
            what_authorised="",
            reasons="Not proportionate.",
            review_interval_days=None,
            directly_involved=False,
            directly_involved_reason="",
            version=a.version,
            statements=STATEMENTS,
            offences_genuine=True,
        )
    client.sign_in(officer)
    with time_machine.travel(datetime(2026, 6, 1, 10, tzinfo=UTC), tick=False):
        answer_triage(client, MONITOR_SUBLETTING, title="Flat 4 sub-letting")
    client.sign_in(sro)
    rows = _csv(client, "/register/extract.csv?year=2026")
    statuses = {r[CODE_ITEMS[5]]: r["Status"] for r in rows}
    assert statuses["Refused one"] == "Refused by authorising officer"
    assert statuses["Flat 4 sub-letting"] == "Crime threshold not met"
    references = {r[CODE_ITEMS[5]]: r[CODE_ITEMS[4]] for r in rows}
    assert references["Flat 4 sub-letting"] == "Not made: RIPA/2026/NM0001"
    page = client.get("/register/?year=2026")
    assert "Flat 4 sub-letting" in page.get_text() and "Refused one" in page.get_text()


def test_register_filters_and_searches(
    app, client, officer, other_officer, authoriser, coordinator, sro
):
    records.active(app, officer, authoriser, coordinator, title="Handbags", subject="Bargain Bags")
    records.submitted(app, other_officer, title="Fly-tipping", subject="Waste Man Example")
    client.sign_in(sro)
    # Granted in March 2026: in force on 1 April, lapsed by June (law.status).
    with time_machine.travel(datetime(2026, 4, 1, 10, tzinfo=UTC), tick=False):
        assert _titles(client.get("/register/?status=in_force")) == ["Handbags"]
    with time_machine.travel(datetime(2026, 6, 10, 10, tzinfo=UTC), tick=False):
        assert _titles(client.get("/register/?status=lapsed")) == ["Handbags"]
    assert _titles(client.get("/register/?q=waste+man")) == ["Fly-tipping"]
    assert _titles(client.get("/register/?q=RIPA/2026/0001")) == ["Handbags"]
    assert _titles(client.get(f"/register/?authoriser={authoriser.id}")) == ["Handbags"]
    page = client.get("/register/")
    offered = [(o["value"], o.text) for o in page.select("#f-authoriser option")]
    assert offered == [("", "Any"), (str(authoriser.id), authoriser.name)]
    services = [o.text for o in page.select("#f-service option")][1:]
    assert services == sorted(set(services))
    assert {officer.service, other_officer.service} <= set(services)
    assert _titles(client.get("/register/?year=2025")) == []
    assert sorted(_titles(client.get("/register/?from=2026-03-01&to=2026-03-31"))) == [
        "Fly-tipping",
        "Handbags",
    ]


def test_the_register_counts_its_entries_never_a_draft(
    app, client, officer, authoriser, coordinator, sro
):
    records.active(app, officer, authoriser, coordinator, title="Handbags")
    records.submitted(app, officer, title="Fly-tipping")
    with app.app_context():
        # A draft has no URN: it is not on the record, and the counts leave it out.
        s = db.session()
        person = s.get(User, officer.id)
        triage = plans.start_triage(s, person, "Still a draft")
        plans.save_triage_answers(s, person, triage, MONITOR_SELLER)
        plans.complete_triage(s, person, triage, app.extensions["ripa_guard.offences"])
        drafting.start_application(s, person, triage)
    client.sign_in(sro)
    assert "2 entries (authorisations and applications)" in client.get("/register/").get_text()
    with time_machine.travel(datetime(2026, 4, 1, 10, tzinfo=UTC), tick=False):
        in_force = client.get("/register/?status=in_force").get_text()
    assert "1 entry (authorisations and applications)" in in_force


def test_the_register_sorts_by_urn_submitted_or_last_day_and_keeps_it_across_pages(
    app, client, officer, authoriser, coordinator, sro, monkeypatch
):
    from ripa_guard.register import views

    # Submitted out of URN order: 0001 last, 0003 first.
    for n, title in enumerate(["First", "Second", "Third"]):
        records.submitted(app, officer, title=title, when=datetime(2026, 3, 9 - n, 10, tzinfo=UTC))
    records.active(app, officer, authoriser, coordinator, title="Granted")
    client.sign_in(sro)
    newest_first = client.get("/register/")
    assert _titles(newest_first) == ["First", "Second", "Third", "Granted"]
    sortable = newest_first.select("th[aria-sort]")
    assert {th.get_text().split(":")[0].strip(): th["aria-sort"] for th in sortable} == {
        "URN": "none",
        "Submitted": "descending",
        "Period": "none",
    }
    by_urn = client.get("/register/?sort=urn&order=ascending")
    urns = [row.select("td")[0].get_text(strip=True) for row in by_urn.select("tbody tr")]
    assert urns == sorted(urns)
    assert by_urn.select_one("th[aria-sort=ascending]").get_text().strip().startswith("URN")
    # The heading sorted by now turns the order round.
    assert "order=descending" in by_urn.select_one("th[aria-sort=ascending] a")["href"]
    descending = client.get("/register/?sort=urn&order=descending")
    assert [r.select("td")[0].get_text(strip=True) for r in descending.select("tbody tr")] == (
        sorted(urns, reverse=True)
    )
    by_last_day = client.get("/register/?sort=last-day")
    assert (
        by_last_day.select_one("th[aria-sort=descending]").get_text().strip().startswith("Period")
    )
    assert "Granted" in _titles(by_last_day)
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    first = client.get("/register/?sort=urn&order=ascending&year=2026")
    following = first.select_one(".govuk-pagination__next a")["href"]
    assert "sort=urn" in following and "order=ascending" in following and "year=2026" in following
    second = client.get(following)
    assert [r.select("td")[0].get_text(strip=True) for r in second.select("tbody tr")] == urns[2:]
    assert first.select_one("input[name=sort]")["value"] == "urn"


def test_the_authoriser_filter_offers_each_who_authorised_an_entry_and_nobody_else(
    app, client, create_user, officer, authoriser, coordinator, sro
):
    def offered() -> list[str]:
        page = client.get("/register/")
        return [o.text for o in page.select("#f-authoriser option")][1:]

    second = create_user(Role.AUTHORISING_OFFICER, name="Zephyrine Applegarth")
    create_user(Role.AUTHORISING_OFFICER, name="Idle Decider")
    client.sign_in(sro)
    records.submitted(app, officer)
    assert offered() == []
    records.active(app, officer, second, coordinator)
    records.active(app, officer, authoriser, coordinator)
    records.active(app, officer, second, coordinator)
    assert sorted(offered()) == sorted([authoriser.name, second.name])


def test_an_order_the_register_does_not_offer_is_newest_first(app, client, officer, sro):
    records.submitted(app, officer, title="Old", when=datetime(2026, 3, 1, 10, tzinfo=UTC))
    records.submitted(app, officer, title="New", when=datetime(2026, 3, 5, 10, tzinfo=UTC))
    client.sign_in(sro)
    for sort in ("investigation_title", "id%3B+drop+table+applications", ""):
        assert _titles(client.get(f"/register/?sort={sort}&order=ascending")) == ["New", "Old"]


def test_search_ignores_case_and_treats_wildcards_as_text(
    app, client, officer, authoriser, coordinator, sro
):
    records.active(
        app, officer, authoriser, coordinator, title="100% cotton fakes", subject="Shop_One"
    )
    records.submitted(app, officer, title="Car boot sales", subject="ShopXOne")
    client.sign_in(sro)
    assert _titles(client.get("/register/?q=COTTON")) == ["100% cotton fakes"]
    assert _titles(client.get("/register/?q=100%25")) == ["100% cotton fakes"]
    assert _titles(client.get("/register/?q=shop_one")) == ["100% cotton fakes"]
    assert _titles(client.get("/register/?q=ripa/2026/0002")) == ["Car boot sales"]
    assert _titles(client.get("/register/?q=%25")) == ["100% cotton fakes"]


def test_a_search_matching_many_gives_the_same_page_and_count(
    app, client, officer, authoriser, coordinator, sro, monkeypatch
):
    for n in range(3):
        records.submitted(app, officer, title=f"Market stall {n}", subject=f"Trader {n}")
    client.sign_in(sro)
    looked_up = client.get("/register/?q=market")
    monkeypatch.setattr("ripa_guard.register.central_record.FOUND_AHEAD", 2)
    left_to_the_query = client.get("/register/?q=market")
    assert sorted(_titles(looked_up)) == ["Market stall 0", "Market stall 1", "Market stall 2"]
    assert _titles(left_to_the_query) == _titles(looked_up)
    assert "3 entries (authorisations and applications)" in looked_up.get_text()
    assert "More than 2 entries (authorisations and applications)" in left_to_the_query.get_text()


@pytest.mark.parametrize("looked_ahead", [1000, 2])
def test_searches_of_the_same_shape_one_after_another_find_each_its_own_entries(
    app, client, officer, sro, monkeypatch, looked_ahead
):
    """The search's statements are built once for each shape of text (one word, two words...)
    and kept: the next text of that shape must find its own entries, not the last one's, both
    when they are few (looked up) and when the register is read in order for them."""
    for n in range(3):
        records.submitted(app, officer, title=f"Market stall {n}", subject=f"Trader {n}")
        records.submitted(app, officer, title=f"Quarry lorry {n}", subject=f"Haulier {n}")
    monkeypatch.setattr("ripa_guard.register.central_record.FOUND_AHEAD", looked_ahead)
    client.sign_in(sro)
    for word, title in [("market", "Market stall"), ("quarry", "Quarry lorry")] * 2:
        found = _titles(client.get("/register/", query_string={"q": word}))
        assert sorted(found) == [f"{title} {n}" for n in range(3)]
    # Two words: the whole text, in its order, not each word somewhere.
    for words, title in [("market stall", "Market stall"), ("quarry lorry", "Quarry lorry")]:
        found = _titles(client.get("/register/", query_string={"q": words}))
        assert sorted(found) == [f"{title} {n}" for n in range(3)]
    assert _titles(client.get("/register/", query_string={"q": "stall market"})) == []
    assert _titles(client.get("/register/", query_string={"q": "haulier 1"})) == ["Quarry lorry 1"]


def test_a_broad_search_counts_each_entry_once_without_drafts_and_keeps_filters_and_order(
    app, client, officer, authoriser, coordinator, sro, monkeypatch
):
    """A search matching more than the register looks up one by one is read in the register's
    order, and counted no further than that many (central_record.count_up_to): what it finds,
    and the count under that many, must not change."""
    lapsed = records.active(
        app, officer, authoriser, coordinator, title="Market stall", subject="Market Trader"
    )
    records.submitted(app, officer, title="Market van")
    records.submitted(app, officer, title="Car boot sales", subject="Market Man")
    _draft(app, officer, "Market draft")
    monkeypatch.setattr("ripa_guard.register.central_record.FOUND_AHEAD", 2)
    client.sign_in(sro)
    newest_first = client.get("/register/?q=market")
    assert _titles(newest_first) == ["Car boot sales", "Market van", "Market stall"]
    assert "More than 2 entries (authorisations and applications), page 1." in (
        newest_first.get_text()
    )
    by_urn = client.get("/register/?q=market&sort=urn&order=ascending")
    assert _titles(by_urn) == ["Market stall", "Market van", "Car boot sales"]
    awaiting = client.get("/register/?q=market&status=submitted")
    assert _titles(awaiting) == ["Car boot sales", "Market van"]
    assert "2 entries (authorisations and applications)." in awaiting.get_text()
    # On its title and on its subject's name: one entry.
    approved = client.get("/register/?q=market&status=lapsed")
    assert _titles(approved) == ["Market stall"]
    assert "1 entry (authorisations and applications)." in approved.get_text()
    assert approved.select_one("tbody a")["href"] == f"/register/{lapsed}"


def test_a_search_says_more_than_it_counts_only_of_entries_not_of_drafts_or_repeated_names(
    app, client, officer, sro, monkeypatch
):
    """The look-ahead finds three matches for one entry (its title, its subject's name, and a
    draft's subject of the same name): one entry, not "more than" the one it looks up."""
    records.submitted(app, officer, title="Quarry lorries", subject="Quarry Drafts Ltd")
    _draft(app, officer, "Market draft")  # its subject is Quarry Drafts Ltd too
    monkeypatch.setattr("ripa_guard.register.central_record.FOUND_AHEAD", 1)
    client.sign_in(sro)
    page = client.get("/register/?q=quarry")
    assert _titles(page) == ["Quarry lorries"]
    assert "1 entry (authorisations and applications)." in page.get_text()
    records.submitted(app, officer, title="Quarry tipping")
    assert "More than 1 entries (authorisations and applications)" in (
        client.get("/register/?q=quarry").get_text()
    )


def test_the_pages_of_a_broad_search_go_on_while_they_are_full(
    app, client, officer, sro, monkeypatch
):
    records.bulk(app, officer, 30)
    monkeypatch.setattr("ripa_guard.register.central_record.FOUND_AHEAD", 10)
    client.sign_in(sro)
    first = client.get("/register/?q=bulk+case")
    assert len(_titles(first)) == 25
    assert "More than 10 entries (authorisations and applications), page 1." in first.get_text()
    assert first.select_one("a[rel=next]")["href"] == "/register/?q=bulk+case&page=2"
    second = client.get("/register/?q=bulk+case&page=2")
    assert len(_titles(second)) == 5
    assert second.select_one("a[rel=next]") is None
    assert second.select_one("a[rel=prev]") is not None
    assert set(_titles(first)).isdisjoint(_titles(second))
    # Without a search, or with one that finds few, every entry is counted.
    assert "30 entries (authorisations and applications), page 1 of 2." in (
        client.get("/register/").get_text()
    )
    assert "1 entry (authorisations and applications)." in (
        client.get("/register/?q=bulk+case+7+").get_text()
    )


def _titles(page):
    return (
        [
            row.select("td")[1].contents[0].strip()
            for row in page.select("table")[0].select("tbody tr")
        ]
        if page.select("table")
        else []
    )


def test_bad_filter_dates_are_reported_not_a_500(client, sro):
    client.sign_in(sro)
    page = client.get("/register/?from=31&from=2&from=2026&year=abc")
    assert "The start of the period must be a real date" in page.get_text()
    assert "Enter a year like 2026" in page.get_text()
    assert [page.select_one(f"#from-{part}")["value"] for part in ("day", "month", "year")] == [
        "31",
        "2",
        "2026",
    ]
    assert page.select_one("a[href='#f-from']") is not None
    assert client.get_response("/register/extract.csv?from=nonsense").status_code == 400


def test_the_period_boxes_show_what_each_request_typed(client, sro):
    """The boxes' HTML is kept between requests (core.fields.RememberedDateInput): each page
    still shows its own dates and its own problem."""
    client.sign_in(sro)

    def boxes(page):
        return [page.select_one(f"#from-{part}")["value"] for part in ("day", "month", "year")]

    assert boxes(client.get("/register/?from=1&from=3&from=2026")) == ["1", "3", "2026"]
    empty = client.get("/register/")
    assert [empty.select_one(f"#from-{p}").get("value") for p in ("day", "month", "year")] == [
        None,
        None,
        None,
    ]
    assert "must be a real date" not in empty.get_text()
    wrong = client.get("/register/?from=31&from=2&from=2026")
    assert boxes(wrong) == ["31", "2", "2026"]
    assert "The start of the period must be a real date" in wrong.get_text()
    assert boxes(client.get("/register/?from=2026-03-01")) == ["1", "3", "2026"]


def test_the_period_is_asked_as_a_gov_uk_date_and_links_carry_it(
    app, client, officer, authoriser, coordinator, sro
):
    records.active(app, officer, authoriser, coordinator, title="Handbags")
    client.sign_in(sro)
    page = client.get("/register/?from=1&from=3&from=2026&to=31&to=3&to=2026&sort=urn")
    assert _titles(page) == ["Handbags"]
    group = page.select_one("#f-from")
    assert "govuk-date-input" in group["class"]
    assert [i["name"] for i in group.select("input")] == ["from", "from", "from"]
    sort_link = page.select_one("th[aria-sort=ascending] a, th[aria-sort=descending] a")["href"]
    assert "from=2026-03-01" in sort_link and "to=2026-03-31" in sort_link
    assert _titles(client.get(sort_link)) == ["Handbags"]
    extract = client.get("/register/extract")
    assert extract.select_one("#f-to input[name=to]") is not None


def test_register_is_paginated(app, client, officer, sro):
    records.bulk(app, officer, 60)
    client.sign_in(sro)
    first = client.get("/register/")
    assert "page 1 of 3" in first.get_text()
    assert len(first.select("table")[0].select("tbody tr")) == 25
    third = client.get("/register/?page=3")
    assert len(third.select("table")[0].select("tbody tr")) == 10


def test_record_page_shows_the_whole_history(client, full_record, inspector):
    client.sign_in(inspector)
    page = client.get(f"/register/{full_record}")
    text = page.get_text(" ")
    for action in (
        "application.submitted",
        "application.approved",
        "court.approved",
        "review.continue",
        "application.cancelled",
    ):
        assert action in text
    assert "Kept until at least Tuesday 10 April 2029" in " ".join(text.split())


@pytest.mark.parametrize(
    "role, status",
    [
        (Role.OFFICER, 403),
        (Role.INSPECTOR, 200),
        (Role.SRO, 200),
        (Role.COORDINATOR, 200),
        (Role.AUTHORISING_OFFICER, 200),
    ],
)
def test_who_reads_the_central_record(client, create_user, role, status):
    client.sign_in(create_user(role))
    for url in (
        "/register/",
        "/register/extract",
        "/register/extract.csv",
        "/register/annual-return",
    ):
        assert client.get_response(url).status_code == status


def test_taking_an_extract_is_audited(app, client, full_record, inspector):
    from sqlalchemy import select

    from ripa_guard.core.models import AuditEvent

    client.sign_in(inspector)
    client.get_response("/register/extract.csv?year=2026")
    with app.app_context():
        event = (
            db.session()
            .scalars(select(AuditEvent).where(AuditEvent.action == "register.extract_csv"))
            .one()
        )
        assert event.actor_id == inspector.id


def test_print_page_lists_every_item(client, full_record, sro):
    client.sign_in(sro)
    page = client.get("/register/extract/print?year=2026")
    text = page.get_text(" ")
    for header in CODE_ITEMS.values():
        assert header in text
    assert "RIPA/2026/0001" in text


def test_annual_return_counts_granted_and_in_force(
    app, client, officer, authoriser, coordinator, sro
):
    records.active(app, officer, authoriser, coordinator, title="In force at year end")
    cancelled = records.active(app, officer, authoriser, coordinator, title="Cancelled in April")
    records.cancel(app, cancelled, authoriser)
    client.sign_in(sro)
    page = client.get("/register/annual-return?year=2026")
    assert page.select_one("#figure-ds_granted").get_text(strip=True) == "2"
    assert page.select_one("#figure-ds_cancelled").get_text(strip=True) == "1"
    assert page.select_one("#figure-chis_granted").get_text(strip=True) == "Not recorded here"
    assert page.select_one("#figure-ds_in_force").get_text(strip=True) == "0"
    page = client.get("/register/annual-return?year=2025")
    assert page.select_one("#figure-ds_granted").get_text(strip=True) == "0"


def test_in_force_at_year_end_counts_an_authorisation_spanning_31_december(
    app, officer, authoriser, coordinator
):
    from ripa_guard.register import annual_return

    application_id = records.submitted(app, officer, when=datetime(2026, 11, 20, 10, tzinfo=UTC))
    records.approve(app, application_id, authoriser, when=datetime(2026, 11, 21, 10, tzinfo=UTC))
    records.court(app, application_id, coordinator, when=datetime(2026, 11, 24, 10, tzinfo=UTC))
    with app.app_context():
        s = db.session()
        assert annual_return.in_force_on(s, date(2026, 12, 31)) == 1
        assert annual_return.in_force_on(s, date(2027, 12, 31)) == 0
        assert annual_return.granted(s, annual_return.Span(2026, date(2027, 1, 1))) == 1


def test_extract_command_writes_a_file(app, full_record, tmp_path):
    target = tmp_path / "extract.csv"
    result = app.test_cli_runner().invoke(
        args=[
            "extract",
            "--from",
            "2026-01-01",
            "--to",
            "2026-12-31",
            "--format",
            "csv",
            "--output",
            str(target),
        ]
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert rows[0][CODE_ITEMS[4]] == "RIPA/2026/0001"
    xlsx = tmp_path / "extract.xlsx"
    result = app.test_cli_runner().invoke(
        args=["extract", "--format", "xlsx", "--output", str(xlsx)]
    )
    assert result.exit_code == 0
    assert openpyxl.load_workbook(xlsx)["Authorisations"].cell(2, 1).value == "RIPA/2026/0001"


def test_formula_like_text_is_neutralised_in_extracts(app, client, officer, sro):
    records.submitted(app, officer, title='=HYPERLINK("http://evil.example")')
    client.sign_in(sro)
    row = _csv(client, "/register/extract.csv")[0]
    assert row[CODE_ITEMS[5]].startswith("'=")


def _extract_peak(app, count: int) -> int:
    with app.app_context():
        tracemalloc.start()
        size = 0
        for chunk in extracts.csv_chunks(db.session(), Filters(), 3, date(2026, 12, 31)):
            size += len(chunk)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert size > count * 500
    return peak


def test_extract_of_a_large_register_runs_in_bounded_memory(app, officer, monkeypatch):
    # Batches smaller than both registers, so that each extract holds several in turn: with
    # the batch of 2,000 the 1,000 entries were half a batch and the 4,000 a whole one, and
    # the peaks differed by that (1.5-1.6 times, at the edge of the bound below).
    monkeypatch.setattr(extract_rows, "BATCH", 250)
    records.bulk(app, officer, 1000)
    # Once to warm up: the first extract in a process fills SQLAlchemy's and the rules' caches,
    # which then count towards the small peak or not depending on which tests ran before.
    _extract_peak(app, 1000)
    small = _extract_peak(app, 1000)
    records.bulk(app, officer, 3000, start=1001)
    large = _extract_peak(app, 4000)
    # Four times the entries, about the same peak: one batch is held at a time.
    assert large < small * 1.6, (small, large)


def test_simultaneous_submissions_get_distinct_consecutive_urns(app):
    """Fifty submissions at the same moment, each in its own transaction and connection."""
    engine = app.extensions["ripa_guard.engine"]
    from sqlalchemy.orm import Session

    urns, errors = [], []
    barrier = threading.Barrier(50)

    def submit():
        try:
            with Session(engine) as s:
                barrier.wait(timeout=30)
                urn = allocate_urn(s, "RIPA", 2031)
                s.commit()
                urns.append(urn)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(repr(exc))

    threads = [threading.Thread(target=submit) for _ in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert sorted(urns) == [f"RIPA/2031/{n:04d}" for n in range(1, 51)]


def test_urns_start_again_each_year_with_the_councils_prefix(app):
    with app.app_context():
        s = db.session()
        assert allocate_urn(s, "BDC", 2026) == "BDC/2026/0001"
        assert allocate_urn(s, "BDC", 2026) == "BDC/2026/0002"
        assert allocate_urn(s, "BDC", 2027) == "BDC/2027/0001"
        s.commit()


def test_central_record_entry_end_and_retention(app, full_record):
    from ripa_guard.applications.models import Application

    with app.app_context():
        a = db.session().get(Application, full_record)
        assert central_record.ended_on(a) == date(2026, 4, 10)
        assert central_record.destroy_after(a, 5) == date(2031, 4, 10)


# Retention and destruction -------------------------------------------------------------------


def _destroy(client, application_id, reason="Retention period ended; nothing pending."):
    return client.post(f"/register/{application_id}/destroy", {"reason": reason})


def test_details_cannot_be_destroyed_before_the_retention_period_ends(
    client, app, full_record, sro
):
    client.sign_in(sro)
    with time_machine.travel(datetime(2029, 4, 10, 12, tzinfo=UTC), tick=False):
        response = _destroy(client, full_record)
    assert "must be kept until the end of Tuesday 10 April 2029" in response.get_data(as_text=True)
    with app.app_context():
        from ripa_guard.applications.models import Application

        assert (
            db.session().get(Application, full_record).investigation_title == "Counterfeit handbags"
        )


def test_sro_destroys_details_after_the_retention_period_leaving_urn_dates_and_who(
    client, app, full_record, sro
):
    from ripa_guard.applications.models import Application
    from ripa_guard.core import audit

    client.sign_in(sro)
    with time_machine.travel(datetime(2029, 4, 11, 12, tzinfo=UTC), tick=False):
        page = client.get(f"/register/{full_record}")
        assert page.find("a", string="Destroy the details")
        assert _destroy(client, full_record).status_code == 302
        page = client.get(f"/register/{full_record}")
    text = page.get_text(" ")
    assert "RIPA/2026/0001" in text and "Sam Senior" in text
    assert "Counterfeit handbags" not in text and "Bargain Bags" not in text
    with app.app_context():
        s = db.session()
        a = s.get(Application, full_record)
        assert a.urn == "RIPA/2026/0001" and a.takes_effect == date(2026, 3, 5)
        assert a.cancelled_on == date(2026, 4, 10)
        assert a.answers == {} and a.subjects == [] and a.cancellation.obtained == ""
        assert a.destruction.destroyed_by_id == sro.id
        assert audit.verify(s).intact
        assert audit.history(s, "application", a.id)[-1].action == "application.details_destroyed"
    client.sign_in(sro)
    row = _csv(client, "/register/extract.csv")[0]
    assert row["URN (item 4)"] == "RIPA/2026/0001"
    assert row["Details destroyed (when, by whom)"].endswith("Sam Senior")
    assert row["Title of the investigation (item 5)"] == "[destroyed]"


def test_only_the_sro_destroys_and_never_an_active_authorisation(
    client, app, officer, authoriser, coordinator, full_record, sro
):
    live = records.active(app, officer, authoriser, coordinator, title="Still active")
    client.sign_in(authoriser)
    with time_machine.travel(datetime(2035, 1, 1, 12, tzinfo=UTC), tick=False):
        assert _destroy(client, full_record).status_code == 403
        client.sign_in(sro)
        response = _destroy(client, live)
    assert "has not ended" in response.get_data(as_text=True)


def test_audit_trail_keeps_no_subject_names_or_titles(client, app, officer):
    from sqlalchemy import select

    from ripa_guard.core.models import AuditEvent

    records.submitted(app, officer, title="Secret Title", subject="Named Person")
    with app.app_context():
        details = str(db.session().scalars(select(AuditEvent.detail)).all())
    assert "Secret Title" not in details and "Named Person" not in details


# Dates read the GOV.UK way ("29 April 2026", or "29 Apr 2026" in a dense table), never as
# 2026-04-29, which readers take for a code (GOV.UK style guide: dates).
ISO_DATE = re.compile(r"\b20\d\d-[01]\d-[0-3]\d\b")


def _visible_text(page) -> str:
    for hidden in page.select("script, style"):
        hidden.decompose()
    return page.get_text(" ")


@pytest.mark.parametrize(
    "url",
    [
        "/register/",
        "/register/{id}",
        "/register/?sort=last-day&from=2026-01-01",
        "/register/extract/print?year=2026",
        "/register/extract/print?from=2026-01-01&to=2026-12-31",
        "/applications/{id}",
        "/dashboard",
    ],
)
def test_no_page_of_a_whole_record_shows_a_date_as_2026_04_29(client, full_record, sro, url):
    client.sign_in(sro)
    text = _visible_text(client.get(url.format(id=full_record)))
    assert not ISO_DATE.findall(text), ISO_DATE.findall(text)
