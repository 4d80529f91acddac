"""Checking a council's earlier central record (read by spreadsheet.py) against the Code's
items, row by row, before anything is written. No database: the URNs already in the register
come in as an argument.

The columns are the extract's own (extracts.AUTHORISATION_COLUMNS), each naming the Code of
Practice 2018 para 8.1 item it answers (DOMAIN.md §7), so an extract can be imported again and
the template a council fills in has the same headers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from ripa_guard.law import periods
from ripa_guard.law import status as stored
from ripa_guard.law.status import SHOWN_TITLES, Shown
from ripa_guard.register.central_record import NOT_MADE
from ripa_guard.register.extracts import AUTHORISATION_COLUMNS, IMPORTED, WHY_NOT_MADE
from ripa_guard.register.spreadsheet import Table, text_of

# The Code's items the import reads, by the extract's headers ---------------------------------
URN = "URN (item 4)"
TYPE = "Type of authorisation (item 1)"
STATUS = "Status"
TITLE = "Title of the investigation (item 5)"
DESCRIPTION = "Brief description (item 5)"
SUBJECTS = "Subjects (item 5)"
SUBMITTED = "Submitted"
DATE_AUTHORISED = "Date authorised (item 2)"
AUTHORISED_BY = "Authorising officer, name and grade (item 3)"
DIRECTLY_INVOLVED = "Authorising officer directly involved (item 9)"
CONFIDENTIAL = "Confidential or privileged information likely (item 8)"
HEARING_DATE = "Court: hearing date (item 11)"
COURT_DECIDED = "Court: date and time of decision (item 11)"
TOOK_EFFECT = "Took effect"
LAST_DAY = "Last day"
REVIEW_DAYS = "Review frequency in days (item 6)"
RENEWALS = "Renewals: when, who, court (item 7)"
CANCELLED_ON = "Date of cancellation (item 10)"

#: Columns of an extract that ripa_guard works out itself: never read from a file.
WORKED_OUT = (
    WHY_NOT_MADE,
    "Lapsed before cancellation",
    "Record kept until at least",
    "Details destroyed (when, by whom)",
    IMPORTED,
)
#: Every Code item a file may give, in the extract's order.
ITEMS: tuple[str, ...] = tuple(
    c.header for c in AUTHORISATION_COLUMNS if c.header not in WORKED_OUT
)
DATES = (
    SUBMITTED,
    DATE_AUTHORISED,
    HEARING_DATE,
    COURT_DECIDED,
    TOOK_EFFECT,
    LAST_DAY,
    CANCELLED_ON,
)
YES_NO = (DIRECTLY_INVOLVED, CONFIDENTIAL)
_NAMED = (URN, TYPE, STATUS, TITLE, DESCRIPTION, SUBJECTS, AUTHORISED_BY, REVIEW_DAYS, RENEWALS)
_missing = sorted(set(_NAMED + DATES + YES_NO) - set(ITEMS))
if _missing:  # the extract's headers changed: the import must follow them, not drift apart
    raise RuntimeError(f"extract headers the import reads are gone: {_missing}")
#: Always needed: which entry it is, what it was, and in what state.
REQUIRED = (URN, TITLE, STATUS)

#: The most characters a cell may hold.
MAX_CELL = 20_000
#: The day RIPA 2000 Part II came into force (SI 2000/2543): no authorisation is older.
RIPA_IN_FORCE = date(2000, 9, 25)
#: A template's invented example row starts its URN with this; it is refused if left in.
EXAMPLE = "EXAMPLE"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file: its row (None for the whole file), its column, why."""

    row: int | None
    column: str
    message: str
    #: False for a warning: shown, but the entry is still imported as the council recorded it.
    blocking: bool = True


@dataclass
class EntryRow:
    """One entry to import, as read and checked."""

    row: int
    urn: str
    status: str
    title: str
    description: str
    subjects: list[str]
    takes_effect: date | None
    last_day: date | None
    cancelled_on: date | None
    submitted: datetime | date | None
    review_interval_days: int | None
    confidential_likely: bool | None
    directly_involved: bool | None
    #: The day the entry ended, from which its retention runs (central_record.ended_on).
    ended_on: date | None
    #: Every Code item given, as text, by extract header.
    items: dict[str, str]


@dataclass
class Checked:
    entries: list[EntryRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rows_read: int = 0
    #: Rows that are not authorisations (plans stopped at the crime threshold), left out.
    skipped: int = 0

    @property
    def blocking(self) -> list[Problem]:
        return [p for p in self.problems if p.blocking]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.blocking]

    @property
    def clean(self) -> bool:
        return not self.blocking


# The column mapping ----------------------------------------------------------------------------


def _key(header: str) -> str:
    return " ".join(header.split()).casefold()


def default_mapping(headers: list[str]) -> dict[str, str]:
    """For each Code item, the file's column of the same name (case and spaces aside), or ""."""
    by_key = {}
    for header in headers:
        by_key.setdefault(_key(header), header)
    return {item: by_key.get(_key(item), "") for item in ITEMS}


def mapping_problems(table: Table, mapping: dict[str, str]) -> list[Problem]:
    problems = []
    seen: dict[str, int] = {}
    for header in table.headers:
        if header:
            seen[_key(header)] = seen.get(_key(header), 0) + 1
    chosen = {_key(column) for column in mapping.values() if column}
    for header, times in seen.items():
        # Only a column the import reads must be unambiguous.
        if times > 1 and header in chosen:
            name = next(h for h in table.headers if _key(h) == header)
            problems.append(Problem(1, name, f"Two columns are called {name!r}: rename one."))
    for item, column in mapping.items():
        if item not in ITEMS:
            problems.append(Problem(None, item, f"{item!r} is not an item of the record."))
        elif column and column not in table.headers:
            problems.append(Problem(None, item, f"The file has no column called {column!r}."))
    for item in REQUIRED:
        if not mapping.get(item):
            problems.append(Problem(None, item, f"Choose the file's column for {item!r}."))
    return problems


# Checking each row ----------------------------------------------------------------------------


#: What a status cell may say, read the way the register shows it (law.status) or stores it.
_IMPORTED_AS = {
    Shown.IN_FORCE: stored.ACTIVE,
    Shown.LAPSED: stored.ACTIVE,
    Shown.CANCELLED: stored.CANCELLED,
    Shown.REFUSED: stored.REFUSED,
    Shown.COURT_REFUSED: stored.COURT_REFUSED,
    Shown.QUASHED: stored.QUASHED,
    Shown.WITHDRAWN: stored.WITHDRAWN,
}
_STATUS_WORDS: dict[str, Shown] = {}
for _shown in Shown:
    _STATUS_WORDS[_key(_shown.title)] = _shown
    _STATUS_WORDS[_key(_shown.value)] = _shown
for _word, _shown in {
    "active": Shown.IN_FORCE,
    "approved by the magistrate": Shown.IN_FORCE,
    "refused": Shown.REFUSED,
    "awaiting_decision": Shown.AWAITING_DECISION,
}.items():
    _STATUS_WORDS[_key(_word)] = _shown
THRESHOLD_NOT_MET = "crime threshold not met"

#: Stored states whose entry was granted by an authorising officer (item 2 and 3 needed).
GRANTED = (stored.ACTIVE, stored.CANCELLED, stored.COURT_REFUSED, stored.QUASHED)
#: Stored states that took effect: the magistrate approved (item 11), with a period.
TOOK_EFFECT_STATES = (stored.ACTIVE, stored.CANCELLED)
KNOWN_STATUSES = ", ".join(SHOWN_TITLES[s] for s in _IMPORTED_AS)


class _Row:
    """The cells of one row by Code item, collecting its problems as they are read."""

    def __init__(self, number: int, cells: list, index: dict[str, int], today: date):
        self.number, self.cells, self.index, self.today = number, cells, index, today
        self.problems: list[Problem] = []

    def raw(self, item: str):
        at = self.index.get(item)
        return self.cells[at] if at is not None and at < len(self.cells) else None

    def text(self, item: str) -> str:
        return text_of(self.raw(item))

    def problem(self, item: str, message: str, blocking: bool = True) -> None:
        self.problems.append(Problem(self.number, item, message, blocking))

    def date(self, item: str) -> date | None:
        value = self.raw(item)
        if isinstance(value, datetime):
            found = value.date()
        elif isinstance(value, date):
            found = value
        else:
            found = parse_date(text_of(value))
            if found is None and text_of(value):
                self.problem(
                    item, f"Enter a date like 2026-01-31 or 31/01/2026, not {text_of(value)!r}."
                )
                return None
        if found is None:
            return None
        if found < RIPA_IN_FORCE:
            self.problem(
                item, f"{found:%d/%m/%Y} is before RIPA 2000 Part II came into force (25/09/2000)."
            )
        elif found > self.today and item != LAST_DAY:
            self.problem(item, f"{found:%d/%m/%Y} is in the future.")
        return found

    def yes_no(self, item: str) -> bool | None:
        answer = {"yes": True, "y": True, "true": True, "no": False, "n": False, "false": False}
        text = self.text(item).casefold()
        if text and text not in answer:
            self.problem(item, f"Enter Yes or No, not {self.text(item)!r}.")
        return answer.get(text)

    def need(self, item: str, why: str) -> None:
        if not self.text(item):
            # "Enter the title ...", but "Enter the URN ...": an abbreviation keeps its capitals.
            name = item if item[1:2].isupper() else item[0].lower() + item[1:]
            self.problem(item, f"Enter the {name}: {why}.")


def parse_date(text: str) -> date | None:
    """A date written 2026-01-31 (with or without a time after it) or 31/01/2026; else None."""
    text = text.strip()
    for pattern, shape in (
        (r"\d{4}-\d{1,2}-\d{1,2}", "%Y-%m-%d"),
        (r"\d{1,2}/\d{1,2}/\d{4}", "%d/%m/%Y"),
    ):
        match = re.match(pattern + r"(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$", text)
        if match:
            try:
                return datetime.strptime(text.split()[0].split("T")[0], shape).date()
            except ValueError:
                return None
    return None


def check(
    table: Table, mapping: dict[str, str], in_register: set[str], today: date, prefix: str = ""
) -> Checked:
    """Every problem of the file, by row and column; and the entries, if there are none.

    `in_register` holds the URNs already on the register, upper-cased; `prefix` is the
    council's URN prefix, so a reference shaped like ripa_guard's not-made ones is refused.
    """
    checked = Checked(problems=mapping_problems(table, mapping), rows_read=len(table.rows))
    if checked.blocking:
        return checked
    index = {item: table.headers.index(col) for item, col in mapping.items() if col}
    urns: dict[str, int] = {}
    for number, cells in table.rows:
        row = _Row(number, cells, index, today)
        if _not_an_authorisation(row):
            checked.skipped += 1
            row.problem(
                URN, "A plan stopped at the crime threshold, not an authorisation: left out.", False
            )
        else:
            entry = _entry(row, prefix)
            _check_urn(row, entry, urns, in_register)
            if entry is not None and not any(p.blocking for p in row.problems):
                checked.entries.append(entry)
        checked.problems.extend(row.problems)
    if checked.blocking:
        checked.entries = []
    return checked


def _not_an_authorisation(row: _Row) -> bool:
    return (
        row.text(TYPE) == NOT_MADE
        or _key(row.text(STATUS)) == THRESHOLD_NOT_MET
        or row.text(URN).startswith("Not made:")
    )


def _check_urn(row: _Row, entry: EntryRow | None, urns: dict[str, int], in_register: set[str]):
    urn = row.text(URN)
    if not urn:
        return
    key = urn.upper()
    if key in urns:
        row.problem(URN, f"{urn} is also on row {urns[key]}: each entry has its own URN.")
    elif key in in_register:
        row.problem(URN, f"{urn} is already on the register.")
    urns.setdefault(key, row.number)


def _entry(row: _Row, prefix: str) -> EntryRow:
    for item in REQUIRED:
        row.need(item, "every entry has one")
    urn, title = row.text(URN), row.text(TITLE)
    if len(urn) > 40:
        row.problem(URN, "A URN can be at most 40 characters.")
    if urn.upper().startswith(EXAMPLE):
        row.problem(URN, "This is the template's invented example row: delete it.")
    if prefix and re.fullmatch(rf"{re.escape(prefix)}/\d{{4}}/NM\d+", urn, re.IGNORECASE):
        row.problem(URN, f"{urn} is shaped like ripa_guard's references for plans not made.")
    if len(title) > 200:
        row.problem(TITLE, "The title can be at most 200 characters.")
    kind = row.text(TYPE)
    if kind and "directed surveillance" not in kind.casefold():
        row.problem(TYPE, f"Only directed surveillance (RIPA s.28) is kept here, not {kind!r}.")
    state = _status(row)
    dates = {item: row.date(item) for item in DATES}
    _check_dates(row, state, dates)
    subjects = [s.strip() for s in row.text(SUBJECTS).split(";") if s.strip()]
    if any(len(s) > 200 for s in subjects):
        row.problem(
            SUBJECTS, "A subject's name can be at most 200 characters; separate names with ;"
        )
    items = {item: row.text(item) for item in row.index if row.text(item)}
    for item, text in items.items():
        if len(text) > MAX_CELL:
            row.problem(item, f"At most {MAX_CELL:,} characters in a cell.")
    return EntryRow(
        row=row.number,
        urn=urn,
        status=state or "",
        title=title,
        description=row.text(DESCRIPTION),
        subjects=subjects,
        takes_effect=dates[TOOK_EFFECT],
        last_day=dates[LAST_DAY],
        cancelled_on=dates[CANCELLED_ON],
        submitted=_submitted(row),
        review_interval_days=_days(row),
        confidential_likely=row.yes_no(CONFIDENTIAL),
        directly_involved=row.yes_no(DIRECTLY_INVOLVED),
        ended_on=_ended_on(state, dates),
        items=items,
    )


def _status(row: _Row) -> str | None:
    text = row.text(STATUS)
    if not text:
        return None
    shown = _STATUS_WORDS.get(_key(text))
    if shown is None:
        row.problem(
            STATUS, f"{text!r} is not a status of the register. Use one of: {KNOWN_STATUSES}."
        )
        return None
    if shown not in _IMPORTED_AS:
        row.problem(
            STATUS,
            f"{shown.title!r} is work still going on, or gone: only decided entries are imported "
            f"({KNOWN_STATUSES}). Make a pending one as an application here.",
        )
        return None
    return _IMPORTED_AS[shown]


def _check_dates(row: _Row, state: str | None, dates: dict[str, date | None]) -> None:
    """The Code's items each state needs, and dates in the order the law puts them."""
    if state in GRANTED:
        row.need(DATE_AUTHORISED, "the authorising officer granted it (item 2)")
        row.need(AUTHORISED_BY, "the authorising officer granted it (item 3)")
    if state == stored.REFUSED:
        row.need(AUTHORISED_BY, "who refused it (item 3)")
    if state in TOOK_EFFECT_STATES:
        row.need(TOOK_EFFECT, "the magistrate approved it (RIPA s.32A)")
        row.need(LAST_DAY, "it had a period (RIPA s.43(3)(c))")
    if state in (stored.COURT_REFUSED, stored.QUASHED):
        row.need(COURT_DECIDED, "the magistrate's decision ended it (item 11)")
    if state == stored.CANCELLED:
        row.need(CANCELLED_ON, "it was cancelled (item 10)")
    elif dates[CANCELLED_ON] and state:
        row.problem(CANCELLED_ON, "Only a cancelled entry has a date of cancellation.")
    if state in (stored.REFUSED, stored.WITHDRAWN) and not any(dates.values()):
        row.need(SUBMITTED, "its record is kept for years from the day it ended")
    took, last, cancelled = dates[TOOK_EFFECT], dates[LAST_DAY], dates[CANCELLED_ON]
    authorised = dates[DATE_AUTHORISED]
    if took and last and last < took:
        row.problem(LAST_DAY, "The last day is before the day it took effect.")
    if took and cancelled and cancelled < took:
        row.problem(CANCELLED_ON, "It was cancelled before it took effect.")
    if took and authorised and took < authorised:
        row.problem(
            TOOK_EFFECT,
            "It took effect before the authorising officer authorised it: the magistrate "
            "approves after the grant (RIPA s.32A).",
        )
    if took and last and last >= took:
        _three_months(row, took, last)
    if state == stored.ACTIVE and last:
        _in_force_or_lapsed(row, last)


def _three_months(row: _Row, took: date, last: date) -> None:
    """A warning, not a refusal: the council's past dates are its record (RIPA s.43(3)(c))."""
    expected = periods.authorisation_expiry(took)
    renewed = bool(row.text(RENEWALS))
    if (not renewed and last != expected) or (renewed and last < expected):
        row.problem(
            LAST_DAY,
            f"Three months from {took:%d/%m/%Y} end on {expected:%d/%m/%Y} (RIPA s.43(3)(c))"
            + ("" if renewed else ", and no renewal is recorded")
            + f"; the file says {last:%d/%m/%Y}. It is imported as the file says.",
            blocking=False,
        )


def _in_force_or_lapsed(row: _Row, last: date) -> None:
    """The register shows "in force" or "lapsed" from the last day, not from the file's words
    (law.status): say so where they differ."""
    said = _STATUS_WORDS.get(_key(row.text(STATUS)))
    shown = Shown.LAPSED if row.today > last else Shown.IN_FORCE
    if said in (Shown.IN_FORCE, Shown.LAPSED) and said != shown:
        row.problem(
            STATUS,
            f"The file says {said.title.lower()}, but its last day is {last:%d/%m/%Y}: the "
            f"register will show it as {shown.title.lower()}.",
            blocking=False,
        )


def _ended_on(state: str | None, dates: dict[str, date | None]) -> date | None:
    """The day the entry ended, for its retention (Code para 8.1: three years from the end).
    A refused or withdrawn entry gives no day of its end: its latest date stands for it."""
    if state == stored.CANCELLED:
        return dates[CANCELLED_ON]
    if state in (stored.COURT_REFUSED, stored.QUASHED):
        return dates[COURT_DECIDED]
    if state in (stored.REFUSED, stored.WITHDRAWN):
        known = [d for item, d in dates.items() if d and item != LAST_DAY]
        return max(known) if known else None
    return None


def _submitted(row: _Row) -> datetime | date | None:
    value = row.raw(SUBMITTED)
    if isinstance(value, datetime):
        return value
    text = row.text(SUBMITTED)
    for shape in ("%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"):
        try:
            return datetime.strptime(text, shape)
        except ValueError:
            continue
    return parse_date(text)


def _days(row: _Row) -> int | None:
    text = row.text(REVIEW_DAYS)
    if not text:
        return None
    if not re.fullmatch(r"[0-9]{1,3}", text) or not 1 <= int(text) <= 92:
        row.problem(REVIEW_DAYS, f"Enter the days between reviews, from 1 to 92, not {text!r}.")
        return None
    return int(text)
