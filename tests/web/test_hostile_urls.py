"""Every GET route, with ids no table holds and query values no form would send: a 404 or a
page, never a 500 (issue 17: "²" in page, year or authoriser; ids beyond 32 or 64 bits).

The routes are read from `app.url_map`, so a new route is walked without being listed here.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from ripa_guard.accounts.models import Role
from ripa_guard.core.fields import MAX_ID, whole_number
from tests import records

#: Every query parameter a view reads (grep request.args), each given the hostile value at once.
QUERY_NAMES = [
    "authoriser", "from", "identity", "key", "next", "offence", "outcome", "page", "q",
    "reference", "renewal", "service", "status", "subject", "to", "url", "user", "year",
]  # fmt: skip
HOSTILE_VALUES = [
    "²",  # str.isdigit says yes, int() says no
    "2026²",
    "٣",  # an Arabic-Indic three: a digit to str.isdigit and to int(), not to us
    "-1",
    "0",
    str(2**31),
    str(2**63),
    "9" * 40,
    "1e309",
    "\x00",
    "%",
    "",
]
HOSTILE_IDS = [str(2**31), str(2**63), str(2**64 + 1), "9" * 40, "0"]
#: Routes not walked: files, and signing out (which would end the walk).
NOT_WALKED = {"static", "govuk_assets", "auth.sign_out"}


@pytest.fixture
def walker(app, client, create_user):
    """A person with every role, and one authorisation whose id fills every <int:...>."""
    everyone = create_user(
        Role.OFFICER, Role.AUTHORISING_OFFICER, Role.SRO, Role.COORDINATOR, Role.INSPECTOR
    )
    coordinator = create_user(Role.COORDINATOR)
    authoriser = create_user(Role.AUTHORISING_OFFICER)
    application_id = records.active(app, everyone, authoriser, coordinator)
    client.sign_in(everyone)
    return client, application_id


def _get_rules(app):
    return [
        rule
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and rule.endpoint not in NOT_WALKED
    ]


def _path(rule, value: str) -> str:
    path = rule.rule
    for argument in rule.arguments:
        # A string part (a page's slug) gets something no page is called.
        path = path.replace(f"<int:{argument}>", value).replace(f"<{argument}>", "no-such-part")
    assert "<" not in path, f"{rule.rule}: a converter this walk does not know"
    return path


def _server_errors(client, urls: list[str]) -> list[str]:
    return [
        f"{url}: {status}"
        for url in urls
        if (status := client.get_response(url).status_code) >= 500
    ]


@pytest.mark.parametrize("value", HOSTILE_VALUES, ids=repr)
def test_no_query_value_gives_a_server_error_on_any_route(app, walker, value):
    client, application_id = walker
    query = urlencode(dict.fromkeys(QUERY_NAMES, value))
    urls = [f"{_path(rule, str(application_id))}?{query}" for rule in _get_rules(app)]
    assert len(urls) > 40
    assert _server_errors(client, urls) == []


@pytest.mark.parametrize("value", HOSTILE_IDS)
def test_an_id_no_table_can_hold_is_not_found_on_every_route(app, walker, value):
    client, _ = walker
    rules = [r for r in _get_rules(app) if any(f"<int:{a}>" in r.rule for a in r.arguments)]
    assert len(rules) > 20
    answers = {
        _path(rule, value): client.get_response(_path(rule, value)).status_code for rule in rules
    }
    assert {url: status for url, status in answers.items() if status != 404} == {}


def test_whole_numbers_are_ascii_digits_within_an_id():
    assert whole_number("42") == 42 and whole_number(" 7 ") == 7
    assert whole_number(str(MAX_ID)) == MAX_ID
    for bad in ["²", "٣", "-1", "1.5", "", str(MAX_ID + 1), "9" * 40, None, True, 1.0]:
        assert whole_number(bad) is None, bad
