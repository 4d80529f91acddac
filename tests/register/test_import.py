"""Importing the council's earlier central record: checked row by row, then all or nothing."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, func, insert, select

from ripa_guard.applications.models import Application, ApplicationStatus, Triage
from ripa_guard.applications.urn import allocate_urn
from ripa_guard.core import audit, db
from ripa_guard.core.changes import Refused
from ripa_guard.core.db import Base
from ripa_guard.core.models import AuditEvent, AuditHead
from ripa_guard.register import extracts, import_file, import_template, importing, spreadsheet
from ripa_guard.register.central_record import Entry, Filters
from ripa_guard.register.extracts import IMPORTED
from ripa_guard.register.import_file import (
    CANCELLED_ON,
    DATE_AUTHORISED,
    ITEMS,
    LAST_DAY,
    STATUS,
    TITLE,
    TOOK_EFFECT,
    URN,
)
from ripa_guard.register.spreadsheet import FileProblem
from tests import records

TODAY = date(2026, 11, 27)
PREFIX = "RIPA"

GOOD = {
    URN: "TS/2024/017",
    "Type of authorisation (item 1)": "Directed surveillance (RIPA 2000 s.28)",
    STATUS: "Cancelled",
    TITLE: "Fake perfume sold online in Felpersham",
    "Brief description (item 5)": "Viewing a seller's marketplace listings",
    "Subjects (item 5)": "Grace Invented; Loxley Scents (trading name)",
    "Submitted": "2024-02-01",
    DATE_AUTHORISED: "05/02/2024",
    "Authorising officer, name and grade (item 3)": "Pat Example, Head of Service",
    "Authorising officer directly involved (item 9)": "No",
    "Confidential or privileged information likely (item 8)": "No",
    "Court: date and time of decision (item 11)": "2024-02-07 10:30",
    TOOK_EFFECT: "2024-02-07",
    LAST_DAY: "2024-05-06",
    "Review frequency in days (item 6)": "28",
    CANCELLED_ON: "2024-04-01",
}


def _csv(*rows: dict, headers=None) -> bytes:
    headers = headers or list(GOOD)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([row.get(h, "") for h in headers])
    return out.getvalue().encode()


def _row(**changes) -> dict:
    return {**GOOD, **{_header(k): v for k, v in changes.items()}}


def _header(key: str) -> str:
    return {
        "urn": URN,
        "status": STATUS,
        "title": TITLE,
        "took": TOOK_EFFECT,
        "last": LAST_DAY,
        "cancelled": CANCELLED_ON,
        "authorised": DATE_AUTHORISED,
    }.get(key, key)


def _check(data: bytes, in_register=frozenset(), name="record.csv"):
    table = spreadsheet.read_table(data, name)
    mapping = import_file.default_mapping(table.headers)
    return import_file.check(table, mapping, set(in_register), TODAY, PREFIX)


def _problems(checked) -> list[tuple]:
    return [(p.row, p.column, p.message) for p in checked.blocking]


def _import(app, user, data: bytes, name="record.csv", mapping=None):
    with app.app_context():
        s = db.session()
        return importing.import_register(
            s, s.merge(user), importing.upload(name, data), mapping, today=TODAY, prefix=PREFIX
        )


def _imported_events(app) -> int:
    with app.app_context():
        return db.session().scalar(
            select(func.count()).where(AuditEvent.action == "application.imported")
        )


def _count(app, model) -> int:
    with app.app_context():
        return db.session().scalar(select(func.count()).select_from(model))


# A clean import ------------------------------------------------------------------------------


def test_a_clean_file_imports_every_entry_with_the_councils_urn_marked_imported(app, coordinator):
    second = _row(
        urn="TS/2025/003",
        status="In force",
        cancelled="",
        took="2025-11-03",
        last="2026-02-02",
        authorised="2025-10-30",
    )
    data = _csv(GOOD, second)
    ids = _import(app, coordinator, data, name="old record.csv")
    assert len(ids) == 2
    with app.app_context():
        s = db.session()
        cancelled = s.scalar(select(Application).where(Application.urn == "TS/2024/017"))
        assert cancelled.status == ApplicationStatus.CANCELLED
        assert cancelled.cancelled_on == date(2024, 4, 1)
        assert cancelled.takes_effect == date(2024, 2, 7)
        assert [x.name for x in cancelled.subjects] == [
            "Grace Invented",
            "Loxley Scents (trading name)",
        ]
        assert cancelled.imported_from == "old record.csv"
        entry = Entry(cancelled, 3, TODAY)
        assert entry.imported_note.startswith("Imported from old record.csv on ")
        # Kept three years from the day it ended (Code para 8.1), worked out the usual way.
        assert entry.destroy_after == date(2027, 4, 1)
        assert entry.imported_items[DATE_AUTHORISED] == "05/02/2024"
        in_force = s.scalar(select(Application).where(Application.urn == "TS/2025/003"))
        assert in_force.status == ApplicationStatus.ACTIVE
        assert Entry(in_force, 3, date(2026, 1, 5)).status == "In force"
        assert in_force.next_review_on == date(2025, 12, 1)
        assert in_force.triage.reasons[0]["text"].startswith("Imported from old record.csv, row 3")


def test_each_imported_entry_has_one_audit_event_with_the_file_its_hash_and_row(app, coordinator):
    data = _csv(GOOD, _row(urn="TS/2024/018"))
    ids = _import(app, coordinator, data)
    with app.app_context():
        events = (
            db.session()
            .scalars(select(AuditEvent).where(AuditEvent.action == "application.imported"))
            .all()
        )
        assert [e.object_id for e in events] == ids
        assert events[1].detail == {
            "urn": "TS/2024/018",
            "status": "cancelled",
            "file": "record.csv",
            "sha256": hashlib.sha256(data).hexdigest(),
            "row": 3,
        }
        assert events[0].actor_id == coordinator.id
        assert audit.verify(db.session()).intact


def test_verify_audit_accepts_an_imported_entrys_status(app, coordinator):
    _import(
        app,
        coordinator,
        _csv(
            GOOD,
            _row(
                urn="TS/2024/020",
                status="Refused by magistrate",
                cancelled="",
                **{"Court: date and time of decision (item 11)": "2024-02-07 10:30"},
            ),
        ),
    )
    result = app.test_cli_runner().invoke(args=["verify-audit"])
    assert result.exit_code == 0, result.output
    assert "match their audit trail" in result.output


def test_an_xlsx_file_with_real_dates_imports(app, coordinator):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(GOOD))
    row = dict(GOOD)
    row[TOOK_EFFECT] = datetime(2024, 2, 7)
    row[DATE_AUTHORISED] = date(2024, 2, 5)
    row[LAST_DAY] = datetime(2024, 5, 6)
    row[CANCELLED_ON] = datetime(2024, 4, 1)
    row["Review frequency in days (item 6)"] = 28
    sheet.append([row[h] for h in GOOD])
    out = io.BytesIO()
    book.save(out)
    ids = _import(app, coordinator, out.getvalue(), name="record.xlsx")
    with app.app_context():
        application = db.session().get(Application, ids[0])
        assert application.takes_effect == date(2024, 2, 7)
        assert application.review_interval_days == 28
        assert application.imported["items"][TOOK_EFFECT] == "2024-02-07"


def test_a_formula_cell_is_kept_as_its_text_and_never_worked_out(app, coordinator):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(GOOD))
    formula = '=HYPERLINK("http://evil.example/","Click")'
    sheet.append([formula if h == TITLE else v for h, v in GOOD.items()])
    out = io.BytesIO()
    book.save(out)
    ids = _import(app, coordinator, out.getvalue(), name="record.xlsx")
    with app.app_context():
        assert db.session().get(Application, ids[0]).investigation_title == formula


def test_the_council_can_name_its_own_columns(app, coordinator):
    headers = ["Ref no" if h == URN else h for h in GOOD]
    data = _csv({**GOOD, "Ref no": "TS/2024/030"}, headers=headers)
    mapping = {**import_file.default_mapping(headers), URN: "Ref no"}
    ids = _import(app, coordinator, data, mapping=mapping)
    with app.app_context():
        assert db.session().get(Application, ids[0]).urn == "TS/2024/030"


# Every kind of problem, by row and column ----------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "column", "words"),
    [
        ({"urn": ""}, URN, "Enter the URN"),
        ({"title": ""}, TITLE, "Enter the title"),
        ({"status": "Sort of done"}, STATUS, "is not a status of the register"),
        ({"status": "Awaiting decision"}, STATUS, "only decided entries are imported"),
        ({"took": "7th Feb"}, TOOK_EFFECT, "Enter a date like 2026-01-31"),
        ({"took": "31/02/2024"}, TOOK_EFFECT, "Enter a date like"),
        ({"took": "1999-01-01"}, TOOK_EFFECT, "before RIPA 2000 Part II came into force"),
        ({"cancelled": "2030-01-01"}, CANCELLED_ON, "is in the future"),
        ({"last": "2024-01-01"}, LAST_DAY, "before the day it took effect"),
        ({"cancelled": "2024-02-01"}, CANCELLED_ON, "cancelled before it took effect"),
        ({"authorised": "2024-02-09"}, TOOK_EFFECT, "before the authorising officer"),
        ({"cancelled": ""}, CANCELLED_ON, "Enter the date of cancellation"),
        ({"status": "In force"}, CANCELLED_ON, "Only a cancelled entry"),
        ({"authorised": ""}, DATE_AUTHORISED, "Enter the date authorised"),
        (
            {"Type of authorisation (item 1)": "CHIS (RIPA s.29)"},
            "Type of authorisation (item 1)",
            "Only directed surveillance",
        ),
        (
            {"Confidential or privileged information likely (item 8)": "Maybe"},
            "Confidential or privileged information likely (item 8)",
            "Enter Yes or No",
        ),
        (
            {"Review frequency in days (item 6)": "monthly"},
            "Review frequency in days (item 6)",
            "days between reviews",
        ),
        ({"urn": "EXAMPLE/2025/0001 (delete this row)"}, URN, "invented example row"),
        ({"urn": "RIPA/2024/NM0002"}, URN, "plans not made"),
    ],
)
def test_each_problem_is_reported_with_its_row_and_column(changes, column, words):
    checked = _check(_csv(_row(urn="TS/2024/001"), _row(**{"urn": "TS/2024/002", **changes})))
    found = _problems(checked)
    assert any(row == 3 and col == column and words in msg for row, col, msg in found), found
    assert not any(row == 2 for row, _, _ in found)
    assert checked.entries == []


def test_a_urn_twice_in_the_file_is_reported_on_the_second_row():
    checked = _check(_csv(GOOD, GOOD))
    assert _problems(checked) == [
        (3, URN, "TS/2024/017 is also on row 2: each entry has its own URN.")
    ]


def test_a_urn_already_on_the_register_is_refused(app, coordinator):
    _import(app, coordinator, _csv(GOOD))
    with pytest.raises(Refused, match="1 problems"):
        _import(app, coordinator, _csv(_row(urn="ts/2024/017")))
    assert _count(app, Application) == 1
    with app.app_context():
        checked, _ = importing.dry_run(
            db.session(), importing.upload("again.csv", _csv(GOOD)), None, TODAY, PREFIX
        )
    assert _problems(checked) == [(2, URN, "TS/2024/017 is already on the register.")]


def test_a_last_day_off_the_three_month_rule_is_a_warning_and_still_imported():
    checked = _check(_csv(_row(last="2024-05-20")))
    assert checked.clean and len(checked.entries) == 1
    assert [(p.row, p.column) for p in checked.warnings] == [(2, LAST_DAY)]
    assert "RIPA s.43(3)(c)" in checked.warnings[0].message


def test_a_required_item_with_no_column_is_reported_once_for_the_file():
    checked = _check(_csv(GOOD, headers=[h for h in GOOD if h != TITLE]))
    assert _problems(checked) == [(None, TITLE, f"Choose the file's column for {TITLE!r}.")]


def test_nothing_is_written_when_any_row_has_a_problem(app, coordinator):
    data = _csv(GOOD, _row(urn="TS/2024/019", took="soon"))
    with pytest.raises(Refused):
        _import(app, coordinator, data)
    assert _count(app, Application) == 0
    assert _count(app, Triage) == 0
    assert _imported_events(app) == 0


def test_a_dry_run_writes_nothing(app, coordinator):
    with app.app_context():
        checked, _ = importing.dry_run(
            db.session(), importing.upload("record.csv", _csv(GOOD)), None, TODAY, PREFIX
        )
    assert checked.clean and len(checked.entries) == 1
    assert _count(app, Application) == 0
    assert _imported_events(app) == 0


def test_an_officer_cannot_import(app, officer):
    with pytest.raises(Refused, match="coordinator"):
        _import(app, officer, _csv(GOOD))
    assert _count(app, Application) == 0


# Files that are not what they should be ------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "name", "words"),
    [
        (b"", "empty.csv", "The file is empty"),
        (b"   \n\n", "blank.csv", "The file is empty"),
        ("URN (item 4),Status\nTS/1,Caf\xe9\n".encode("cp1252"), "latin.csv", "not UTF-8"),
        (b"%PDF-1.7 \x00\x01\x02", "record.pdf", "not a spreadsheet"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old.xls", "old Excel file"),
        (b"PK\x03\x04 not really a zip", "record.xlsx", "could not be read as an Excel"),
        (b"URN (item 4)\nx", "record.xlsx", "not an Excel workbook"),
        (b"a" * (spreadsheet.MAX_BYTES + 1), "huge.csv", "larger than 10 MB"),
        (b'URN (item 4)\n"' + b"x" * 200_000 + b'"\n', "wide.csv", "could not be read as CSV"),
    ],
)
def test_a_file_that_cannot_be_read_gets_a_clear_message(data, name, words):
    with pytest.raises(FileProblem, match=words):
        spreadsheet.read_table(data, name)


def test_a_docx_is_not_taken_for_a_workbook():
    out = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    with pytest.raises(FileProblem, match="not an Excel workbook"):
        spreadsheet.read_table(out.getvalue(), "letter.docx")


def test_too_many_rows_are_refused_with_a_message():
    data = b"URN (item 4)\n" + b"x\n" * (spreadsheet.MAX_ROWS + 1)
    with pytest.raises(FileProblem, match="more than 20,000 rows"):
        spreadsheet.read_table(data, "long.csv")


# The template and the round trip -------------------------------------------------------------


def test_the_template_has_the_extracts_headers_and_a_marked_example_row():
    out = io.BytesIO()
    import_template.write_template(out)
    sheet = openpyxl.load_workbook(io.BytesIO(out.getvalue())).active
    rows = list(sheet.iter_rows(values_only=True))
    headers = [c.header for c in extracts.AUTHORISATION_COLUMNS]
    assert list(rows[0]) == [h for h in headers if h in ITEMS]
    assert "delete this row" in rows[1][0] and "invented" in rows[1][ITEMS.index(TITLE)]
    checked = _check(out.getvalue(), name="template.xlsx")
    assert _problems(checked) == [
        (2, URN, "This is the template's invented example row: delete it.")
    ]


def _empty_database(app) -> None:
    engine = app.extensions["ripa_guard.engine"]
    with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            # The register's size is kept by triggers as its entries go (migration 0030).
            if table.name not in ("users", "user_roles", "register_size"):
                conn.execute(delete(table))
        conn.execute(insert(AuditHead).values(id=1, seq=0, last_hash="0" * 64))
    Path(app.config["AUDIT_HEAD_FILE"]).unlink(missing_ok=True)


def _extract(app) -> str:
    with app.app_context():
        session = app.extensions["ripa_guard.sessionmaker"]()
        return "".join(extracts.csv_chunks(session, Filters(), 3, TODAY))


def _rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def test_an_extract_imports_again_with_the_same_items(app, officer, authoriser, coordinator):
    """The round trip: the extract's headers are the import's, so an extract taken from one
    install imports into another with no mapping, and every item comes back as it was."""
    application_id = records.active(app, officer, authoriser, coordinator)
    records.review(app, application_id, authoriser)
    records.cancel(app, application_id, authoriser)
    records.active(app, officer, authoriser, coordinator, title="Sham pet sales")
    text = _extract(app)
    before = _rows(text)
    _empty_database(app)

    ids = _import(app, coordinator, ("\ufeff" + text).encode(), name="extract.csv")

    assert len(ids) == 2
    after = {row[URN]: row for row in _rows(_extract(app))}
    with app.app_context():
        for row in before:
            application = db.session().scalar(
                select(Application).where(Application.urn == row[URN])
            )
            items = application.imported["items"]
            for header in ITEMS:
                assert items.get(header, "") == row[header], header
            again = after[row[URN]]
            # Every item comes back as the first install wrote it, the decisions, hearings,
            # reviews and cancellation included (kept as the file gave them).
            for header in (*ITEMS, "Record kept until at least"):
                assert again[header] == row[header], header
            assert again[IMPORTED].startswith("Imported from extract.csv on ")
            assert row[IMPORTED] == ""


def test_a_urn_allocated_after_an_import_never_repeats_an_imported_one(app, coordinator):
    _import(app, coordinator, _csv(_row(urn="RIPA/2024/0007")))
    with app.app_context():
        s = db.session()
        assert allocate_urn(s, PREFIX, 2024) == "RIPA/2024/0008"
        assert allocate_urn(s, PREFIX, 2025) == "RIPA/2025/0001"
        s.rollback()


def test_the_command_line_checks_then_imports_as_the_person_named(
    app, coordinator, officer, tmp_path
):
    path = tmp_path / "record.csv"
    path.write_bytes(_csv(GOOD, _row(urn="TS/2024/099", took="soon")))
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["import-register", str(path), "--by", officer.email])
    assert refused.exit_code != 0 and "not an active RIPA coordinator" in refused.output
    result = runner.invoke(args=["import-register", str(path), "--by", coordinator.email])
    assert result.exit_code != 0
    assert f"Row 3, {TOOK_EFFECT}: Enter a date like" in result.output
    assert "1 problems" in result.output
    path.write_bytes(_csv(GOOD))
    dry = runner.invoke(args=["import-register", str(path), "--dry-run", "--by", coordinator.email])
    assert dry.exit_code == 0 and "nothing was written" in dry.output
    assert _count(app, Application) == 0
    done = runner.invoke(args=["import-register", str(path), "--by", coordinator.email.upper()])
    assert done.exit_code == 0, done.output
    assert "Imported 1 entries from record.csv" in done.output
    with app.app_context():
        event = db.session().scalar(
            select(AuditEvent).where(AuditEvent.action == "application.imported")
        )
        assert event.actor_id == coordinator.id


def test_the_command_line_takes_a_mapping(app, coordinator, tmp_path):
    path = tmp_path / "record.csv"
    headers = ["Ref" if h == URN else h for h in GOOD]
    path.write_bytes(_csv({**GOOD, "Ref": "TS/2024/031"}, headers=headers))
    result = app.test_cli_runner().invoke(
        args=[
            "import-register",
            str(path),
            "--mapping",
            json.dumps({URN: "Ref"}),
            "--by",
            coordinator.email,
        ]
    )
    assert result.exit_code == 0, result.output
    bad = app.test_cli_runner().invoke(
        args=["import-register", str(path), "--mapping", "[1]", "--by", coordinator.email]
    )
    assert bad.exit_code != 0 and "JSON object" in bad.output


# Whatever the file holds, a message and never an error --------------------------------------

FUZZ = settings(max_examples=25, deadline=None)


@FUZZ
@given(st.binary(max_size=2000))
def test_any_bytes_get_a_message_or_a_table(data):
    try:
        table = spreadsheet.read_table(data, "any.csv")
    except FileProblem as problem:
        assert str(problem)
        return
    import_file.check(table, import_file.default_mapping(table.headers), set(), TODAY, PREFIX)


@FUZZ
@given(
    st.lists(
        st.fixed_dictionaries(
            {
                h: st.one_of(
                    st.text(
                        st.characters(exclude_characters="\x00", exclude_categories=("Cs",)),
                        max_size=30,
                    ),
                    st.just(v),
                )
                for h, v in GOOD.items()
            }
        ),
        min_size=1,
        max_size=4,
    )
)
def test_any_cells_under_the_right_headers_are_checked_without_error(rows):
    checked = _check(_csv(*rows))
    assert checked.rows_read <= len(rows)
    for problem in checked.problems:
        assert problem.message and (problem.row is None or problem.row >= 2)


def test_a_file_larger_than_a_batch_is_imported_whole(app, coordinator, monkeypatch):
    monkeypatch.setattr(importing, "_BATCH", 2)
    ids = _import(app, coordinator, _csv(*(_row(urn=f"TS/2024/{n:03d}") for n in range(5))))
    assert len(ids) == 5 and _count(app, Application) == 5 and _imported_events(app) == 5
    result = app.test_cli_runner().invoke(args=["verify-audit"])
    assert result.exit_code == 0, result.output


def test_in_force_past_its_last_day_is_imported_with_a_warning_that_it_shows_lapsed():
    row = _row(status="In force", cancelled="", took="2024-02-07", last="2024-05-06")
    checked = _check(_csv(row))
    assert checked.clean
    assert [(p.row, p.column) for p in checked.warnings] == [(2, STATUS)]
    assert "will show it as lapsed (not cancelled)" in checked.warnings[0].message


def test_two_columns_of_one_name_are_a_problem_only_when_the_import_reads_them():
    headers = [*GOOD, "Notes", "Notes"]
    assert _check(_csv(GOOD, headers=headers)).clean
    checked = _check(_csv(GOOD, headers=[*GOOD, TITLE]))
    assert _problems(checked) == [(1, TITLE, f"Two columns are called {TITLE!r}: rename one.")]


def test_an_xlsx_extract_imports_again_from_its_authorisations_sheet(
    app, officer, authoriser, coordinator
):
    application_id = records.active(app, officer, authoriser, coordinator)
    records.cancel(app, application_id, authoriser)
    before = _rows(_extract(app))
    workbook = io.BytesIO()
    with app.app_context():
        extracts.write_xlsx(workbook, db.session(), Filters(), 3, TODAY)
    _empty_database(app)

    ids = _import(app, coordinator, workbook.getvalue(), name="extract.xlsx")

    with app.app_context():
        items = db.session().get(Application, ids[0]).imported["items"]
    assert {h: items.get(h, "") for h in ITEMS} == {h: before[0][h] for h in ITEMS}
