"""The main pages ask the database the same number of questions however big the register is
(issue 19): a page that reads one more row per application, officer or decision fails here."""

from __future__ import annotations

import re

import pytest

from ripa_guard.accounts.models import Role

from .. import records


@pytest.fixture
def people(create_user, officer, authoriser, coordinator, sro):
    return {
        "officer": officer,
        "authoriser": authoriser,
        "coordinator": coordinator,
        "sro": sro,
        "other_authoriser": create_user(Role.AUTHORISING_OFFICER, name="Alma Authoriser"),
    }


def _grow(app, people, n: int) -> int:
    """`n` more of each kind the pages list: in force, awaiting a decision, and a bulk of
    submitted ones; returns the id of one in force."""
    in_force = None
    for _ in range(n):
        in_force = records.active(
            app, people["officer"], people["authoriser"], people["coordinator"]
        )
        records.submitted(app, people["officer"], title="Waiting case")
    return in_force


PAGES = [
    ("dashboard as officer", "officer", "/dashboard"),
    ("dashboard as authorising officer", "authoriser", "/dashboard"),
    ("dashboard as coordinator", "coordinator", "/dashboard"),
    ("dashboard as SRO", "sro", "/dashboard"),
    ("central record", "sro", "/register/"),
    ("central record in force", "sro", "/register/?status=active"),
    ("central record by URN", "sro", "/register/?q=RIPA/2026/0001"),
    ("central record by subject", "sro", "/register/?q=bargain+bags"),
    ("central record of a year", "sro", "/register/?year=2026"),
    ("central record of a year, one status", "sro", "/register/?year=2026&status=submitted"),
    ("record page", "sro", "/register/{record}"),
    ("decisions", "other_authoriser", "/authorisations/decisions"),
    ("application page", "officer", "/applications/{record}"),
    ("investigations", "officer", "/investigations/"),
    ("about", "sro", "/about"),
    ("oversight hub", "sro", "/oversight/"),
    ("inspection", "sro", "/oversight/inspection"),
    ("errors", "sro", "/oversight/errors"),
]


def _queries(client, count_queries, who, path) -> int:
    client.sign_in(who)
    client.get(path)  # once before counting: what a first request caches is not the page's
    with count_queries() as counted:
        client.get(path)
    return counted.count


@pytest.mark.parametrize(("page", "who", "path"), PAGES, ids=[p[0] for p in PAGES])
def test_page_asks_the_same_number_of_queries_however_big_the_register(
    app, client, people, count_queries, page, who, path
):
    record = _grow(app, people, 1)
    small = _queries(client, count_queries, people[who], path.format(record=record))
    _grow(app, people, 3)
    records.bulk(app, people["officer"], 5)
    large = _queries(client, count_queries, people[who], path.format(record=record))
    assert large == small, f"{page}: {small} queries with a small register, {large} with more"


def test_a_search_matching_many_asks_the_same_number_of_queries_however_many_it_matches(
    app, client, people, count_queries, monkeypatch
):
    """A search matching more than the register looks up one by one is read in order and
    counted no further than that (central_record.broad_condition, count_up_to)."""
    monkeypatch.setattr("ripa_guard.register.central_record.FOUND_AHEAD", 2)
    _grow(app, people, 3)
    small = _queries(client, count_queries, people["sro"], "/register/?q=waiting+case")
    _grow(app, people, 5)
    large = _queries(client, count_queries, people["sro"], "/register/?q=waiting+case")
    assert "More than 2 entries" in client.get("/register/?q=waiting+case").get_text()
    assert large == small


def test_a_signed_in_page_reads_the_user_then_the_unread_count_and_council_in_one(
    client, officer, count_queries
):
    client.sign_in(officer)
    client.get("/about")
    with count_queries() as counted:
        client.get("/about")
    assert counted.count == 2, counted.statements


def test_the_decisions_queue_reads_no_history_of_what_it_lists(app, client, people, count_queries):
    _grow(app, people, 2)
    client.sign_in(people["other_authoriser"])
    client.get("/authorisations/decisions")
    with count_queries() as counted:
        page = client.get("/authorisations/decisions")
    read = " ".join(counted.statements)
    for table in ("authorising_decisions", "court_hearings", "reviews", "subjects", "user_roles"):
        assert f"FROM {table}" not in read, table
    assert "Waiting case" in page.get_text()


OFFICERS_PAGES = [
    ("research profile", "/viewings/research-profiles/{profile}"),
    ("register of research profiles", "/viewings/research-profiles"),
    ("oversight hub", "/oversight/"),
    ("inspection", "/oversight/inspection"),
    ("training", "/oversight/training"),
]


@pytest.mark.parametrize(("page", "path"), OFFICERS_PAGES, ids=[p[0] for p in OFFICERS_PAGES])
def test_page_asks_the_same_number_of_queries_however_many_officers(
    app, client, create_user, sro, count_queries, page, path
):
    """Each officer granted the research profile, and each person's training, is a row of a
    query, never a query of its own."""
    from tests.viewing_setup import register_profile

    first = [create_user(Role.OFFICER, name=f"Officer {n}") for n in range(2)]
    profile = register_profile(app, sro, "web", "TS research laptop 1", *first)
    small = _queries(client, count_queries, sro, path.format(profile=profile))
    more = [create_user(Role.OFFICER, name=f"Officer {n}", trained_on=None) for n in range(2, 8)]
    more.append(create_user(Role.AUTHORISING_OFFICER, name="Another Authoriser"))
    register_profile(app, sro, "facebook", "borsetshire.ts.research5", *first, *more[:-1])
    large = _queries(client, count_queries, sro, path.format(profile=profile))
    assert large == small, f"{page}: {small} queries with 3 people, {large} with 10"


def _main_table(statement: str) -> str:
    """The table a statement reads first, outside the subqueries of its columns and its WHERE."""
    while (outer := re.sub(r"\([^()]*\)", "", statement)) != statement:
        statement = outer
    return re.search(r"\bFROM\s+(\w+)", statement).group(1)


@pytest.mark.parametrize(
    ("who", "path"),
    [("sro", "/register/{record}"), ("officer", "/applications/{record}")],
    ids=["record page", "application page"],
)
def test_an_authorisations_pages_read_each_part_of_its_history_once(
    app, client, people, count_queries, who, path
):
    record = _grow(app, people, 1)
    client.sign_in(people[who])
    client.get(path.format(record=record))
    with count_queries() as counted:
        page = client.get(path.format(record=record))
    read = [m for s in counted.statements for m in re.findall(r"\b(?:FROM|JOIN)\s+(\w+)", s)]
    first = [_main_table(s) for s in counted.statements if "FROM" in s]
    # Neither page shows the plan, subjects' identities, or who is on the investigation; the
    # cancellation and the subjects come with the application's own query.
    for table in ("triages", "subject_identities", "investigation_officers"):
        assert table not in read, table
    for table in ("cancellations", "subjects"):
        assert table not in first, table
    # The viewings under it and the research around it: one query, with how many notes each has.
    assert first.count("viewings") == 1, counted.statements
    assert "viewing_notes" not in first, counted.statements
    assert counted.count <= 13, counted.statements
    assert page.h1


HOME_PAGE_QUERIES = [
    # Each asks for the user, then the unread count with the council, then the running lists
    # in one query, and each list awaiting a decision or the court that the person sees in one.
    # No list here is cut short, so the totals are asked for only with the plans stopped at the
    # crime threshold.
    ("officer", 8),  # both waiting lists, and their own applications with renewals, destructions
    ("authoriser", 4),
    ("coordinator", 6),  # and the totals with the plans stopped, and the looks held
    ("sro", 9),  # both waiting lists, the totals with the plans stopped, the captures due, and
    # the set-up checklist's two
]


@pytest.mark.parametrize(
    ("who", "expected"), HOME_PAGE_QUERIES, ids=[h[0] for h in HOME_PAGE_QUERIES]
)
def test_a_home_page_asks_its_lists_in_few_queries(
    app, client, people, count_queries, who, expected
):
    """Each query on PostgreSQL is a round trip with its planning, so the home page asks each
    group of lists in one (issue 19)."""
    _grow(app, people, 1)
    assert _queries(client, count_queries, people[who], "/dashboard") == expected
