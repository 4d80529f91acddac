"""Reading proxy logs: Squid's native format and CSV, streamed, bad lines counted and skipped."""

from __future__ import annotations

import gzip
import hashlib
import io
from datetime import UTC, datetime

import pytest

from ripa_guard.core.changes import InputProblem
from ripa_guard.viewing.log_users import read_mapping
from ripa_guard.viewing.proxy_logs import (
    LogProblem,
    ReadReport,
    guess_format,
    parse_time,
    read_csv,
    read_squid,
    text_lines,
)

SQUID = (
    "1774947600.250    250 10.1.2.3 TCP_MISS/200 5120 GET "
    "https://www.facebook.com/bargainbags.example olive.officer HIER_DIRECT/157.240.1.35 text/html"
)


def test_a_squid_line_is_read_with_the_moment_its_request_began():
    report = ReadReport()
    (request,) = read_squid([SQUID], report)
    # Squid logs a request when it ends: it began 250 ms before 1774947600.250.
    assert request.at == datetime(2026, 3, 31, 9, 0, tzinfo=UTC)
    assert request.user == "olive.officer"
    assert request.address == "https://www.facebook.com/bargainbags.example"
    assert (request.method, request.result, request.status) == ("GET", "TCP_MISS", 200)
    assert request.content_type == "text/html"
    assert not request.host_only
    assert report.read == 1


def test_a_connect_line_names_the_host_only():
    line = (
        "1774947600.000 60000 10.1.2.3 TCP_TUNNEL/200 9000 CONNECT www.facebook.com:443 olive - -"
    )
    (request,) = read_squid([line], ReadReport())
    assert request.host_only


def test_squid_user_names_are_url_decoded_and_a_dash_is_no_user():
    encoded = SQUID.replace("olive.officer", "BORSETSHIRE%5Colive.officer")
    nobody = SQUID.replace("olive.officer", "-")
    first, second = read_squid([encoded, nobody], ReadReport())
    assert first.user == "BORSETSHIRE\\olive.officer"
    assert second.user == ""


def test_malformed_squid_lines_are_counted_with_their_numbers_and_skipped():
    lines = [
        SQUID,
        "garbage",
        "",
        "notatime 250 10.1.2.3 TCP_MISS/200 1 GET https://x.example/ u",
        SQUID,
    ]
    report = ReadReport()
    read = list(read_squid(lines, report))
    assert len(read) == 2 and [r.line for r in read] == [1, 5]
    assert report.malformed == 2 and report.blank == 1 and report.lines == 5
    assert [e[0] for e in report.examples] == [2, 4]
    assert "fields" in report.examples[0][1]


def test_a_csv_log_reads_iso_and_epoch_times_and_any_column_order():
    lines = [
        "address,user,time,ignored",
        "https://www.instagram.com/bargainbags.example/,olive,2026-03-31T10:00:00,x",
        "https://www.instagram.com/bargainbags.example/,olive,1774947600,x",
        "https://www.instagram.com/bargainbags.example/,olive,2026-03-31T09:00:00Z,x",
        "https://www.instagram.com/bargainbags.example/,olive,yesterday,x",
        "www.instagram.com:443,olive,2026-03-31T10:00:00,x",
    ]
    report = ReadReport()
    read = list(read_csv(lines, report))
    # No offset is the local time in England and Wales: 10:00 BST is 09:00 UTC.
    assert [r.at for r in read[:3]] == [datetime(2026, 3, 31, 9, 0, tzinfo=UTC)] * 3
    assert read[3].host_only
    assert report.malformed == 1 and report.examples[0][0] == 5


def test_a_csv_log_without_the_columns_is_refused_as_a_whole():
    with pytest.raises(LogProblem, match="time, user and address"):
        list(read_csv(["when,who,where", "a,b,c"], ReadReport()))


def test_lines_are_streamed_and_hashed_whole_plain_or_gzip():
    data = (SQUID + "\n") * 3
    for raw in (data.encode(), gzip.compress(data.encode())):
        hashed, lines = text_lines(io.BytesIO(raw))
        assert list(lines) == [SQUID] * 3
        assert hashed.sha256.hexdigest() == hashlib.sha256(raw).hexdigest()
        assert hashed.size == len(raw)


def test_the_format_is_guessed_from_the_name():
    assert guess_format("proxy-2026-03.csv") == "csv"
    assert guess_format("access.log.csv.gz") == "csv"
    assert guess_format("access.log") == "squid"


def test_times_that_are_not_plausible_are_refused():
    assert parse_time("99999999999999") is None
    assert parse_time("1899-01-01T00:00:00") is None


def test_a_users_file_maps_log_users_with_or_without_a_header():
    assert read_mapping(["log user,email", "OOfficer,Olive@Example.gov.uk"]) == {
        "oofficer": "olive@example.gov.uk"
    }
    with pytest.raises(InputProblem, match="Line 2"):
        read_mapping(["oofficer,olive@example.gov.uk", "just one column"])
