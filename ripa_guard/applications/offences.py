"""The register of offences a council investigates, read from registers/offences.csv.

Each row records the longest term of imprisonment the offence carries, on summary conviction or
on indictment, because the crime threshold reads "whether on summary conviction or on
indictment" (SI 2010/521, article 7A(3)(a)). The figure is the one in force: where a statute
prints "51 weeks" for a summary offence, that is read as 6 months until section 281(5) of the
Criminal Justice Act 2003 is commenced (see, for example, Animal Welfare Act 2006 s.32(5) and
Housing and Planning Act 2016 s.21(6)). An empty figure means the offence carries no
imprisonment at all.

``threshold_exception`` marks the closed list of underage-sale offences in article 7A(3)(b);
see ``threshold.EXCEPTION_OFFENCES``. The loader refuses a register that disagrees with that
list in either direction, because a wrong flag would let surveillance through (or stop it)
without anyone noticing.

Pure: imports neither Flask nor SQLAlchemy.
"""

from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass
from pathlib import Path

from ripa_guard.law.threshold import EXCEPTION_OFFENCES

HEADER = (
    "code",
    "title",
    "act",
    "section",
    "max_custodial_months",
    "threshold_exception",
    "source",
)

CODE_PATTERN = re.compile(r"[A-Z0-9][A-Z0-9-]*")
WHOLE_NUMBER = re.compile(r"[0-9]+")
SCHEDULE = re.compile(r"Sch(edule)?\b", re.IGNORECASE)
INSTRUMENT_KIND = re.compile(r"\b(Act|Regulations|Order)(?: \d{4})?$")

#: 100 years. No offence a council investigates comes near this; a bigger figure is a typo.
MAX_MONTHS = 1200

#: Fields that must not be empty. max_custodial_months may be empty (no imprisonment).
REQUIRED_FIELDS = ("code", "title", "act", "section", "source")


@dataclass(frozen=True)
class Offence:
    """One offence in the register, with the longest custodial term in force for it."""

    code: str
    title: str
    act: str
    section: str
    max_custodial_months: int | None
    threshold_exception: bool
    source: str

    @property
    def citation(self) -> str:
        """How the provision is cited: "Fraud Act 2006, s.1"; regulations use "reg."; a
        Schedule paragraph is cited as written: "…Act 1982, Sch 4 para 10"."""
        if SCHEDULE.match(self.section):
            return f"{self.act}, {self.section}"
        return f"{self.act}, {_provision_prefix(self.act)}{self.section}"


class OffenceRegisterError(ValueError):
    """The register is malformed. Names the file, the 1-based line (header is 1), the problem."""

    def __init__(self, path: str | os.PathLike, line: int, problem: str) -> None:
        self.path = str(path)
        self.line = line
        self.problem = problem
        super().__init__(f"{self.path}, line {line}: {problem}")


def load_offences(path: str | os.PathLike) -> dict[str, Offence]:
    """Read and check the register file; keyed by code, in file order.

    Read as UTF-8, tolerating the byte-order mark Excel writes with "CSV UTF-8".
    """
    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise OffenceRegisterError(
            path, line, "the file is not UTF-8 text; save it as 'CSV UTF-8'"
        ) from exc
    return parse_offences(text, str(path))


def parse_offences(text: str, path: str = "offences.csv") -> dict[str, Offence]:
    """Parse and check register text; keyed by code, in file order. ``path`` is for messages."""
    text = text.removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)  # no guessing at bad quotes
    try:
        return _read_rows(reader, path)
    except csv.Error as exc:  # e.g. a stray quote: still name the file and line
        raise OffenceRegisterError(path, reader.line_num, f"not readable as CSV: {exc}") from exc


def _read_rows(reader, path: str) -> dict[str, Offence]:
    _check_header(reader, path)
    offences: dict[str, Offence] = {}
    first_line: dict[str, int] = {}
    line = reader.line_num + 1
    for row in reader:
        if row:  # a blank line (often the last one) is not a row
            offence = _parse_row(row, path, line)
            _check_unique(offence.code, first_line, path, line)
            offences[offence.code] = offence
            first_line[offence.code] = line
        line = reader.line_num + 1  # a quoted field may span lines; count from where it ended
    if not offences:
        raise OffenceRegisterError(path, 1, "the register has a header but no offences")
    return offences


def offence_from_fields(fields: dict[str, str], where: str = "the form") -> Offence:
    """One offence from the register's fields, checked exactly as a row of the file is
    (OffenceRegisterError names the problem; its ``field`` names the field at fault)."""
    row = [str(fields.get(name, "") or "") for name in HEADER]
    try:
        return _parse_row(row, where, 1)
    except OffenceRegisterError as problem:
        problem.field = next((name for name in HEADER if problem.problem.startswith(name)), "code")
        if "threshold_exception" in problem.problem:
            problem.field = "threshold_exception"
        raise


def _provision_prefix(act: str) -> str:
    # Sections of Acts, regulations of Regulations, articles of Orders. Look only at the
    # instrument's kind at the end of its title: "Public Order Act 1986" is an Act.
    kind = INSTRUMENT_KIND.search(act)
    if kind and kind.group(1) == "Regulations":
        return "reg."
    if kind and kind.group(1) == "Order":
        return "art."
    return "s."


def _check_header(reader, path: str) -> None:
    header = next(reader, None)
    if header is None:
        raise OffenceRegisterError(
            path, 1, f"the file is empty; the first line must be the header {','.join(HEADER)}"
        )
    if tuple(header) != HEADER:
        raise OffenceRegisterError(
            path, 1, f"the header must be exactly {','.join(HEADER)}, not {','.join(header)}"
        )


def _parse_row(row: list[str], path: str, line: int) -> Offence:
    if len(row) != len(HEADER):
        raise OffenceRegisterError(path, line, f"expected {len(HEADER)} columns, found {len(row)}")
    fields = dict(zip(HEADER, (value.strip() for value in row), strict=True))
    for name in REQUIRED_FIELDS:
        if not fields[name]:
            raise OffenceRegisterError(path, line, f"{name} is empty")
    if not CODE_PATTERN.fullmatch(fields["code"]):
        raise OffenceRegisterError(
            path,
            line,
            f"code {fields['code']!r} must be capital letters, digits and hyphens, "
            "starting with a letter or digit (like FRAUD-1)",
        )
    offence = Offence(
        code=fields["code"],
        title=fields["title"],
        act=fields["act"],
        section=fields["section"],
        max_custodial_months=_parse_months(fields["max_custodial_months"], path, line),
        threshold_exception=_parse_flag(fields["threshold_exception"], path, line),
        source=fields["source"],
    )
    _check_exception_list(offence, path, line)
    return offence


def _parse_months(value: str, path: str, line: int) -> int | None:
    if value == "":
        return None  # no imprisonment: fine only
    if not WHOLE_NUMBER.fullmatch(value):
        raise OffenceRegisterError(
            path, line, f"max_custodial_months {value!r} is not a whole number of months"
        )
    months = int(value)
    if months <= 0:
        raise OffenceRegisterError(
            path,
            line,
            f"max_custodial_months {months} must be at least 1; "
            "leave it empty for an offence with no prison sentence",
        )
    if months > MAX_MONTHS:
        raise OffenceRegisterError(
            path,
            line,
            f"max_custodial_months {months} is more than {MAX_MONTHS} months (100 years)",
        )
    return months


def _parse_flag(value: str, path: str, line: int) -> bool:
    # Exactly "true" or "false": a typo must not silently decide a legal question.
    if value == "true":
        return True
    if value == "false":
        return False
    raise OffenceRegisterError(
        path, line, f"threshold_exception {value!r} must be exactly true or false"
    )


def _check_exception_list(offence: Offence, path: str, line: int) -> None:
    """Art. 7A(3)(b) is a closed list: the flag must match it exactly, in both directions."""
    listed = (offence.act, offence.section) in EXCEPTION_OFFENCES
    if offence.threshold_exception and not listed:
        raise OffenceRegisterError(
            path,
            line,
            f"threshold_exception is true, but {offence.citation} is not one of the "
            "underage-sale offences in article 7A(3)(b) of SI 2010/521, and that list is closed",
        )
    if listed and not offence.threshold_exception:
        raise OffenceRegisterError(
            path,
            line,
            f"{offence.citation} is one of the underage-sale offences in article 7A(3)(b) "
            "of SI 2010/521, so threshold_exception must be true",
        )


def _check_unique(code: str, first_line: dict[str, int], path: str, line: int) -> None:
    if code in first_line:
        raise OffenceRegisterError(
            path, line, f"code {code!r} is already used on line {first_line[code]}"
        )
