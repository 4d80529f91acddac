"""The extract's rows built in SQL are the rows the Python-built extract wrote, cell for cell:
on the demo's register and on the entries that take a path of their own (imported, stopped at
the crime threshold, destroyed after retention, formula-looking text, renewals and several
hearings), on both databases."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import openpyxl
import pytest
import time_machine
from sqlalchemy import select

from ripa_guard.accounts.models import User
from ripa_guard.applications.models import Application, CourtHearing, Renewal
from ripa_guard.core import clock, db
from ripa_guard.register import central_record, extract_rows, extract_sheets, extracts, retention
from ripa_guard.register.central_record import Filters
from ripa_guard.register.extract_columns import AUTHORISATION_COLUMNS
from tests import records
from tests.journeys import MONITOR_SUBLETTING, answer_triage
from tests.register import extract_reference
from tests.register.test_import import _csv, _import, _row

HEADERS = [c.header for c in AUTHORISATION_COLUMNS]
EVERYTHING = Filters()


def _same_rows(sql_rows: list[list], reference: list[list], headers=None) -> None:
    assert len(sql_rows) == len(reference)
    for number, (ours, theirs) in enumerate(zip(sql_rows, reference, strict=True), start=1):
        if ours != theirs:
            differ = {
                (headers[i] if headers else i): (a, b)
                for i, (a, b) in enumerate(zip(ours, theirs, strict=True))
                if a != b
            }
            pytest.fail(f"row {number} differs (SQL, reference): {differ}")


def _compare(app, today: date, filters: Filters = EVERYTHING) -> dict[str, list[list]]:
    """Every sheet and the whole CSV, built both ways, compared; the reference's sheets."""
    offences = app.extensions["ripa_guard.offences"]
    with app.app_context():
        s = db.session()
        reference = extract_reference.sheets(s, filters, 3, today)
        _same_rows(
            list(extract_rows.authorisation_rows(s, filters, 3, today)),
            reference["authorisation"],
            HEADERS,
        )
        for name in ("review", "renewal", "hearing", "cancellation"):
            _same_rows(list(getattr(extract_sheets, f"{name}_rows")(s, filters)), reference[name])
        expected = extract_reference.csv_text(s, filters, 3, today, offences)
    with app.app_context():
        text = "".join(extracts.csv_chunks(db.session(), filters, 3, today, offences))
    assert text == expected
    return reference


def test_the_demo_register_extracts_the_same_rows_from_sql(app):
    from ripa_guard import demo

    with app.app_context():
        demo.fill(db.session(), app)
        s = db.session()
        renewed = s.scalar(select(Renewal.application_id).limit(1))
        heard = s.scalars(select(CourtHearing.application_id)).all()
    assert renewed is not None, "the demo has a renewal"
    assert any(heard.count(a) > 1 for a in heard), "the demo has entries heard more than once"
    with app.app_context():
        today = clock.today()
    reference = _compare(app, today)
    assert len(reference["authorisation"]) > 5 and reference["renewal"]
    # A year later statuses, lapses and what may be destroyed have moved on: still the same.
    _compare(app, date(today.year + 1, today.month, 1))
    _compare(app, today, Filters(year=today.year, today=today))


def test_entries_with_their_own_paths_extract_the_same_rows_from_sql(
    app, client, officer, authoriser, coordinator, sro
):
    ended = records.active(app, officer, authoriser, coordinator)
    records.review(app, ended, authoriser)
    records.cancel(app, ended, authoriser)
    records.active(app, officer, authoriser, coordinator, title="@SUM(A1) sales")
    records.submitted(app, officer, title='=HYPERLINK("http://evil.example")', subject="-1+2")
    client.sign_in(officer)
    with time_machine.travel(datetime(2026, 6, 1, 10, tzinfo=UTC), tick=False):
        answer_triage(client, MONITOR_SUBLETTING, title="+Flat 4 sub-letting")
    imported = _import(app, coordinator, _csv(_row(urn="RIPA/2024/0007")))
    assert imported
    with app.app_context():
        s = db.session()
        entry = s.get(Application, ended)
        kept = central_record.destroy_after(entry, 3)
        retention.destroy_entry(
            s, s.get(User, sro.id), entry, "Retention ended.", kept, date(2029, 5, 1)
        )
        s.commit()
    reference = _compare(app, date(2029, 5, 1))
    rows = {row[0]: row for row in reference["authorisation"]}
    assert rows["RIPA/2024/0007"][HEADERS.index(extracts.IMPORTED)].startswith("Imported from")
    destroyed = rows[_urn(app, ended)]
    assert destroyed[HEADERS.index("Status")] == "Details destroyed"
    _compare(app, date(2026, 11, 27))


def _urn(app, application_id: int) -> str:
    with app.app_context():
        return db.session().get(Application, application_id).urn


def test_the_workbook_has_the_same_cells_as_the_csv_with_real_dates(
    app, officer, authoriser, coordinator
):
    application_id = records.active(app, officer, authoriser, coordinator)
    records.review(app, application_id, authoriser)
    records.submitted(app, officer, title="=1+1")
    out = io.BytesIO()
    with app.app_context():
        extracts.write_xlsx(out, db.session(), Filters(), 3, date(2026, 11, 27))
    book = openpyxl.load_workbook(io.BytesIO(out.getvalue()))
    sheet = book["Authorisations"]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    titles = [r[HEADERS.index("Title of the investigation (item 5)")] for r in rows[1:]]
    assert "'=1+1" in titles
    took = HEADERS.index("Took effect")
    assert isinstance(rows[1][took], datetime) and sheet.cell(2, took + 1).number_format == (
        "d mmm yyyy"
    )
    assert book["Reviews"].max_row == 2
