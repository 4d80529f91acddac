"""The offence register (registers/offences.csv) and its loader, ripa_guard.offences.

The verdicts asserted against the shipped register are the examples in DOMAIN.md §1, which
apply SI 2010/521 article 7A(3).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ripa_guard.applications.offences import (
    Offence,
    OffenceRegisterError,
    load_offences,
    parse_offences,
)
from ripa_guard.law import threshold

REGISTER = Path(__file__).parents[2] / "registers" / "offences.csv"
HEADER = "code,title,act,section,max_custodial_months,threshold_exception,source"
FRAUD_ROW = "FRAUD-1,Fraud,Fraud Act 2006,1,120,false,s.1(3)"
LITTER_ROW = "EPA-87,Leaving litter,Environmental Protection Act 1990,87,,false,s.87(5)"
ALCOHOL_ROW = "LA03-146,Selling alcohol to children,Licensing Act 2003,146,,true,art. 7A(3)(b)"


def register(*rows: str) -> str:
    """Register text: the header, then the given rows, one per line."""
    return "\n".join([HEADER, *rows]) + "\n"


def problem_in(text: str) -> OffenceRegisterError:
    with pytest.raises(OffenceRegisterError) as caught:
        parse_offences(text, "registers/offences.csv")
    return caught.value


@pytest.fixture(scope="module")
def shipped() -> dict[str, Offence]:
    return load_offences(REGISTER)


def find(offences: dict[str, Offence], act: str, section: str) -> Offence:
    matches = [o for o in offences.values() if (o.act, o.section) == (act, section)]
    assert len(matches) == 1, f"expected one row for {act} s.{section}, found {len(matches)}"
    return matches[0]


# --- The shipped register ---------------------------------------------------------------


def test_shipped_register_loads_and_has_at_least_30_offences(shipped):
    assert len(shipped) >= 30
    assert all(isinstance(o, Offence) for o in shipped.values())


def test_shipped_register_is_keyed_by_code_in_file_order(shipped):
    codes = list(shipped)
    assert codes[0] == "FRAUD-1"
    assert all(shipped[code].code == code for code in codes)
    lines = REGISTER.read_text(encoding="utf-8").splitlines()[1:]
    assert codes == [line.split(",", 1)[0] for line in lines if line]


def test_shipped_register_flags_exactly_the_closed_exception_list(shipped):
    flagged = {(o.act, o.section) for o in shipped.values() if o.threshold_exception}
    assert flagged == threshold.EXCEPTION_OFFENCES


@pytest.mark.parametrize(
    ("act", "section", "months", "met", "basis"),
    [
        ("Fraud Act 2006", "1", 120, True, threshold.CUSTODIAL_TERM),
        ("Environmental Protection Act 1990", "33", 60, True, threshold.CUSTODIAL_TERM),
        ("Protection from Harassment Act 1997", "2", 6, True, threshold.CUSTODIAL_TERM),
        ("Prevention of Social Housing Fraud Act 2013", "1(1)", None, False, None),
        ("Licensing Act 2003", "146", None, True, threshold.EXCEPTION),
        ("Road Traffic Regulation Act 1984", "117", None, False, None),
    ],
)
def test_domain_examples_get_their_verdicts_from_the_shipped_register(
    shipped, act, section, months, met, basis
):
    offence = find(shipped, act, section)
    verdict = threshold.verdict_for_offence(offence)
    assert offence.max_custodial_months == months
    assert (verdict.met, verdict.basis) == (met, basis)


def test_blue_badge_verdict_follows_the_offence_charged(shipped):
    # DOMAIN.md §1: the same facts under RTRA 1984 s.117 fail; charged as fraud they qualify.
    assert not threshold.verdict_for_offence(shipped["RTRA-117"]).met
    assert threshold.assess_any([shipped["RTRA-117"], shipped["FRAUD-1"]]).met


def test_fifty_one_week_offences_are_stored_as_six_months(shipped):
    # The printed "51 weeks" is read as 6 months until CJA 2003 s.281(5) is commenced
    # (Animal Welfare Act 2006 s.32(5); Housing and Planning Act 2016 s.21(6)).
    for code in ("AWA06-9", "AWA06-13", "HPA16-21"):
        assert shipped[code].max_custodial_months == 6
        assert "281(5)" in shipped[code].source


def test_animal_cruelty_carries_five_years_since_the_2021_sentencing_act(shipped):
    assert shipped["AWA06-4"].max_custodial_months == 60


def test_proxy_alcohol_purchase_is_not_on_the_exception_list(shipped):
    # Art. 7A(3)(b) is closed: other underage or proxy-sale offences stand on their penalty.
    offence = shipped["LA03-149"]
    assert not offence.threshold_exception
    assert not threshold.verdict_for_offence(offence).met


def test_shipped_register_has_fine_only_and_short_custody_offences_that_fail(shipped):
    failing = [o.code for o in shipped.values() if not threshold.verdict_for_offence(o).met]
    assert {"SSAA-112", "EPA-87", "LA03-141", "CDPA-107-1D"} <= set(failing)


# --- Offence ----------------------------------------------------------------------------


def test_citation_names_the_act_and_section():
    offences = parse_offences(register(FRAUD_ROW))
    assert offences["FRAUD-1"].citation == "Fraud Act 2006, s.1"


def test_a_schedule_paragraph_is_cited_as_written(shipped):
    street_trading = shipped["LGMPA82-S4-10"]
    assert street_trading.citation == (
        "Local Government (Miscellaneous Provisions) Act 1982, Sch 4 para 10"
    )


def test_the_offences_councils_commonly_pursue_are_in_the_shipped_register(shipped):
    for code in ("EDA96-444-1", "EDA96-444-1A", "TA68-1", "TCPA-224", "ASBCPA14-67"):
        assert code in shipped
    assert shipped["TA68-1"].max_custodial_months == 84


def test_citation_uses_reg_for_regulations_and_art_for_orders():
    offences = parse_offences(
        register(
            "GPSR-20,Unsafe product,General Product Safety Regulations 2005,20,12,false,reg.20",
            "X-1,Example,Example Order 2010,7A,6,false,art.7A",
            "POA-4,Fear of violence,Public Order Act 1986,4,6,false,s.4",
        )
    )
    assert offences["GPSR-20"].citation == "General Product Safety Regulations 2005, reg.20"
    assert offences["X-1"].citation == "Example Order 2010, art.7A"
    assert offences["POA-4"].citation == "Public Order Act 1986, s.4"


def test_row_values_are_parsed_into_typed_fields():
    offences = parse_offences(register(FRAUD_ROW, LITTER_ROW, ALCOHOL_ROW))
    assert offences["FRAUD-1"] == Offence(
        code="FRAUD-1",
        title="Fraud",
        act="Fraud Act 2006",
        section="1",
        max_custodial_months=120,
        threshold_exception=False,
        source="s.1(3)",
    )
    assert offences["EPA-87"].max_custodial_months is None
    assert offences["LA03-146"].threshold_exception is True


def test_quoted_fields_may_contain_commas():
    row = 'FRAUD-1,"Fraud (false representation, abuse of position)",Fraud Act 2006,1,120,false,x'
    assert parse_offences(register(row))["FRAUD-1"].title == (
        "Fraud (false representation, abuse of position)"
    )


def test_blank_lines_are_ignored():
    offences = parse_offences(HEADER + "\n\n" + FRAUD_ROW + "\n\n")
    assert list(offences) == ["FRAUD-1"]


def test_byte_order_mark_from_excel_is_tolerated(tmp_path):
    path = tmp_path / "offences.csv"
    path.write_text(register(FRAUD_ROW), encoding="utf-8-sig")
    assert list(load_offences(path)) == ["FRAUD-1"]
    assert list(parse_offences("\ufeff" + register(FRAUD_ROW))) == ["FRAUD-1"]


# --- Validation: each failure names the file, the line and the problem ---------------------


def test_bad_months_names_file_line_and_problem():
    error = problem_in(register(FRAUD_ROW, LITTER_ROW, "X-1,Title,Some Act 2000,3,six,false,src"))
    assert str(error) == (
        "registers/offences.csv, line 4: max_custodial_months 'six' is not a whole number of months"
    )
    assert (error.path, error.line) == ("registers/offences.csv", 4)
    assert error.problem == "max_custodial_months 'six' is not a whole number of months"


def test_load_offences_names_the_file_it_read(tmp_path):
    path = tmp_path / "offences.csv"
    path.write_text(register("bad code,Title,Some Act 2000,3,6,false,src"), encoding="utf-8")
    with pytest.raises(OffenceRegisterError) as caught:
        load_offences(path)
    assert caught.value.path == str(path)
    assert str(caught.value).startswith(f"{path}, line 2: code 'bad code'")


def test_error_is_a_value_error():
    assert issubclass(OffenceRegisterError, ValueError)


def test_line_numbers_count_from_the_header_and_across_quoted_newlines():
    multi_line = 'FRAUD-6,"Articles\nfor fraud",Fraud Act 2006,6,60,false,src'
    error = problem_in(register(multi_line, "X-1,Title,Some Act 2000,3,six,false,src"))
    assert error.line == 4


def test_wrong_header_is_refused():
    error = problem_in("code,title,act,section,months,threshold_exception,source\n" + FRAUD_ROW)
    assert error.line == 1
    assert "header must be exactly" in error.problem


def test_empty_file_is_refused():
    error = problem_in("")
    assert error.line == 1
    assert "empty" in error.problem


def test_header_with_no_rows_is_refused():
    error = problem_in(register())
    assert error.line == 1
    assert "no offences" in error.problem


@pytest.mark.parametrize(
    "row",
    [
        "FRAUD-1,Fraud,Fraud Act 2006,1,120,false",
        "FRAUD-1,Fraud,Fraud Act 2006,1,120,false,source,extra",
    ],
)
def test_wrong_number_of_columns_is_refused(row):
    error = problem_in(register(row))
    assert error.line == 2
    assert error.problem.startswith("expected 7 columns, found")


@pytest.mark.parametrize(
    ("row", "field"),
    [
        (",Fraud,Fraud Act 2006,1,120,false,src", "code"),
        ("FRAUD-1, ,Fraud Act 2006,1,120,false,src", "title"),
        ("FRAUD-1,Fraud,,1,120,false,src", "act"),
        ("FRAUD-1,Fraud,Fraud Act 2006,,120,false,src", "section"),
        ("FRAUD-1,Fraud,Fraud Act 2006,1,120,false,", "source"),
    ],
)
def test_empty_required_field_is_refused(row, field):
    error = problem_in(register(row))
    assert (error.line, error.problem) == (2, f"{field} is empty")


@pytest.mark.parametrize("code", ["fraud-1", "-FRAUD", "FRAUD_1", "FRAUD 1", "FRÄUD"])
def test_bad_code_pattern_is_refused(code):
    error = problem_in(register(f"{code},Fraud,Fraud Act 2006,1,120,false,src"))
    assert error.line == 2
    assert error.problem.startswith(f"code {code!r} must be capital letters")


def test_duplicate_code_names_the_earlier_line():
    error = problem_in(register(FRAUD_ROW, LITTER_ROW, FRAUD_ROW))
    assert (error.line, error.problem) == (4, "code 'FRAUD-1' is already used on line 2")


@pytest.mark.parametrize("months", ["six", "6.0", "6.5", "-3", "+6", "1e2"])
def test_months_that_are_not_whole_numbers_are_refused(months):
    error = problem_in(register(f"X-1,Title,Some Act 2000,3,{months},false,src"))
    assert error.problem == f"max_custodial_months {months!r} is not a whole number of months"


def test_zero_months_is_refused_because_empty_means_no_prison():
    error = problem_in(register("X-1,Title,Some Act 2000,3,0,false,src"))
    assert error.problem.startswith("max_custodial_months 0 must be at least 1")


def test_more_than_1200_months_is_refused():
    error = problem_in(register("X-1,Title,Some Act 2000,3,1201,false,src"))
    assert error.problem.startswith("max_custodial_months 1201 is more than 1200 months")


def test_1200_months_and_one_month_are_accepted():
    offences = parse_offences(
        register("X-1,Title,Some Act 2000,3,1200,false,src", "X-2,Title,Some Act 2000,4,1,false,s")
    )
    assert [o.max_custodial_months for o in offences.values()] == [1200, 1]


@pytest.mark.parametrize("flag", ["True", "FALSE", "yes", "1", ""])
def test_threshold_exception_must_be_exactly_true_or_false(flag):
    error = problem_in(register(f"X-1,Title,Some Act 2000,3,6,{flag},src"))
    assert error.problem == f"threshold_exception {flag!r} must be exactly true or false"


def test_exception_flag_on_an_offence_outside_the_closed_list_is_refused():
    error = problem_in(register("LA03-149,Proxy purchase,Licensing Act 2003,149,,true,src"))
    assert error.line == 2
    assert "Licensing Act 2003, s.149 is not one of the underage-sale offences" in error.problem
    assert "closed" in error.problem


@pytest.mark.parametrize(("act", "section"), sorted(threshold.EXCEPTION_OFFENCES))
def test_listed_underage_sale_offence_marked_false_is_refused(act, section):
    error = problem_in(register(f"X-1,Underage sale,{act},{section},,false,src"))
    assert error.line == 2
    assert error.problem == (
        f"{act}, s.{section} is one of the underage-sale offences in article 7A(3)(b) "
        "of SI 2010/521, so threshold_exception must be true"
    )


def test_file_that_is_not_utf8_is_refused_with_its_line(tmp_path):
    path = tmp_path / "offences.csv"
    path.write_bytes(
        (register(FRAUD_ROW) + "X-1,Caf\xe9,Some Act 2000,3,6,false,src\n").encode("latin-1")
    )
    with pytest.raises(OffenceRegisterError) as caught:
        load_offences(path)
    assert caught.value.line == 3
    assert "UTF-8" in caught.value.problem


def test_text_the_csv_module_cannot_read_is_refused_with_its_line():
    error = problem_in(register(FRAUD_ROW, 'X-1,"Title"junk,Some Act 2000,3,6,false,src'))
    assert error.line == 3
    assert error.problem.startswith("not readable as CSV")
