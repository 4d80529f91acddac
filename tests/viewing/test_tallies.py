"""The tallies of the viewing log (issue 19): kept as each viewing, stopped attempt and held look
is written, they always equal a recount of the log, and the SRO's viewings page reads them."""

# Fixtures are imported from viewing_setup, so test arguments share their names.
# ruff: noqa: F811

from __future__ import annotations

from click.testing import CliRunner
from sqlalchemy import select

from ripa_guard.accounts.models import Role
from ripa_guard.cli import check_tallies
from ripa_guard.core import db
from ripa_guard.law.profile_identity import identify
from ripa_guard.viewing import tallies
from ripa_guard.viewing.log import ViewingRequest
from ripa_guard.viewing.models import HeldLook, Stop
from tests.viewing_setup import (
    at,
    at_once,
    attempts,
    case_for,
    register_profile,
    view,
    viewings,
)

QUICK_CASH = "https://www.tiktok.com/@quickcash.example"
QUICK_CASH_IDENTITY = identify(QUICK_CASH).text


def _differences(app) -> list[str]:
    with app.app_context():
        return tallies.differences(db.session())


def _tally(app, kind, key):
    with app.app_context():
        return tallies.of_key(db.session(), kind, key)


def test_tallies_equal_a_recount_after_logged_blocked_refused_and_held_looks(
    client, app, active, officer, other_officer, research_browser, facebook_profile
):
    case_for(app, other_officer)  # both officers work on TS/2026/0412
    with at(2026, 4, 1):
        client.sign_in(officer)
        view(client, profile=facebook_profile)  # under the authorisation
        view(
            client,
            url="https://www.facebook.com/supplier.example",
            subject="A supplier",
            profile=research_browser,
        )  # not covered: refused
        client.sign_in(other_officer)
        for _ in range(2):  # a first look, then a repeat: blocked
            view(
                client,
                reference="RB/2026/77",
                subject="Quick Cash",
                url=QUICK_CASH,
                profile=research_browser,
            )
        client.sign_in(officer)
        # seen under another investigation: held for the coordinator
        view(
            client,
            reference="RB/2026/88",
            subject="Quick Cash",
            url=QUICK_CASH,
            profile=research_browser,
        )
    outcomes = {a.outcome for a in attempts(app)}
    assert outcomes == {Stop.BLOCKED, Stop.REFUSED}
    assert len(viewings(app)) == 2
    with app.app_context():
        assert db.session().scalar(select(HeldLook.id)) is not None
    assert _differences(app) == []
    quick = _tally(app, tallies.PROFILE, viewings(app)[1].identity)
    assert (quick.viewings, quick.unauthorised, quick.blocked, quick.refused) == (1, 1, 1, 0)
    result = CliRunner().invoke(check_tallies, obj=_script_info(app))
    assert result.exit_code == 0, result.output
    assert "match the viewing log" in result.output


def _script_info(app):
    from flask.cli import ScriptInfo

    return ScriptInfo(create_app=lambda *_: app)


def test_check_tallies_names_a_tally_that_does_not_match_the_log(
    client, app, officer, research_browser
):
    client.sign_in(officer)
    with at(2026, 4, 1):
        view(
            client,
            url="https://www.tiktok.com/@quickcash.example",
            subject="Quick Cash",
            profile=research_browser,
        )
    with app.app_context():
        s = db.session()
        tally = tallies.of_key(s, tallies.PROFILE, QUICK_CASH_IDENTITY)
        tally.viewings = 7
        s.commit()
    assert _differences(app) == [
        f"profile {QUICK_CASH_IDENTITY!r}: kept {_counted(app, 7)}, the log says {_counted(app, 1)}"
    ]
    result = CliRunner().invoke(check_tallies, obj=_script_info(app))
    assert result.exit_code != 0 and QUICK_CASH_IDENTITY in result.output


def _counted(app, n):
    with app.app_context():
        t = tallies.of_key(db.session(), tallies.PROFILE, QUICK_CASH_IDENTITY)
        return tallies.Counted(
            t.subject,
            n,
            t.unauthorised,
            t.officers,
            t.investigations,
            t.first_viewed,
            t.last_viewed,
            t.blocked,
            t.refused,
        )


def test_tallies_equal_a_recount_after_officers_log_at_the_same_moment(
    app, sro, officer, other_officer, create_user
):
    """Each in its own thread and transaction (on PostgreSQL, truly at once): six officers,
    two investigations, four of them looking at one profile."""
    more = [create_user(Role.OFFICER, name=f"Officer {n}") for n in range(4)]
    everyone = [officer, other_officer, *more]
    profile = register_profile(app, sro, "web", "TS research laptop 9", *everyone)
    asks = []
    for n, person in enumerate(everyone):
        shared = n % 3 != 0
        asks.append(
            (
                person.id,
                ViewingRequest(
                    url="https://www.tiktok.com/@quickcash.example"
                    if shared
                    else f"https://www.facebook.com/seller{n}.example",
                    investigation_id=case_for(app, person, f"TS/2026/{n % 2:04d}"),
                    subject="Quick Cash" if shared else f"Seller {n}",
                    purpose="A first look",
                    research_profile_id=profile,
                    captured=False,
                ),
            )
        )
    with at(2026, 4, 1):
        verdicts, errors = at_once(app, asks)
    assert errors == [] and len(verdicts) == len(everyone)
    assert _differences(app) == []


def _log_directly(app, officers, investigation_id, profile_id, n, start):
    """`n` viewings written straight into the log (as an import or the bench seed would), their
    tallies counted again: enough rows to show a page that grows with the log."""
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import insert

    from ripa_guard.viewing.models import Basis, Channel, Viewing

    rows = [
        dict(
            viewed_at=datetime(2026, 2, 1, 9, tzinfo=UTC) + timedelta(minutes=start + i),
            officer_id=officers[i % len(officers)].id,
            officer_name="Olive Officer",
            officer_service="Trading Standards",
            research_profile_id=profile_id,
            investigation_id=investigation_id,
            reference="TS/2026/0412",
            url=f"https://www.facebook.com/seller{i % 5}.example",
            platform="Facebook",
            identity=f"facebook:seller{i % 5}example",
            subject=f"Seller {i % 5}",
            subject_key=f"seller {i % 5}",
            purpose="A look",
            captured=False,
            capture_location="",
            basis=Basis.INITIAL_RESEARCH,
            reason="First look",
            citation="Code of Practice 2018, 3.14",
            channel=Channel.WEB,
        )
        for i in range(start, start + n)
    ]
    with app.app_context():
        s = db.session()
        s.execute(insert(Viewing), rows)
        tallies.rebuild(s, tallies.PROFILE, [r["identity"] for r in rows])
        tallies.rebuild(s, tallies.SUBJECT, [r["subject_key"] for r in rows])
        s.commit()


PAGES_READ_BY = {
    "sro": [
        "/viewings/oversight",
        "/viewings/oversight/profile?identity=facebook:seller1example",
        "/viewings/oversight/subject?key=seller 1",
        "/viewings/research-profiles/{profile}",
        "/oversight/",
        "/oversight/inspection",
        "/oversight/errors",
        "/dashboard",
    ],
    "officer": ["/viewings/", "/investigations/{case}"],
}


def test_the_pages_that_read_viewings_make_as_many_queries_at_300_viewings_as_at_60(
    client, app, sro, officer, other_officer, research_browser, count_queries
):
    case = case_for(app, officer)
    case_for(app, other_officer)
    people = {"sro": sro, "officer": officer}

    def queries() -> dict[str, int]:
        counted = {}
        for who, paths in PAGES_READ_BY.items():
            client.sign_in(people[who])
            for path in paths:
                path = path.format(profile=research_browser, case=case)
                client.get(path)  # once first: the session's own writes settle
                with count_queries() as c:
                    client.get(path)
                counted[path] = c.count
        return counted

    _log_directly(app, [officer, other_officer], case, research_browser, 60, 0)
    few = queries()
    _log_directly(app, [officer, other_officer], case, research_browser, 240, 60)
    assert queries() == few
    assert _differences(app) == []


def test_a_profiles_history_is_shown_fifty_at_a_time_with_a_link_to_the_next(
    client, app, sro, officer, research_browser
):
    case = case_for(app, officer)
    _log_directly(app, [officer], case, research_browser, 520, 0)  # 104 of each seller
    client.sign_in(sro)
    seen, path, pages = [], "/viewings/oversight/profile?identity=facebook:seller1example", 0
    while path:
        page = client.get(path)
        pages += 1
        rows = page.select("table tbody tr")
        seen += [r.get_text(" ", strip=True) for r in rows]
        assert len(rows) <= 50
        following = page.find("a", string=lambda s: s and s.startswith("Next 50 viewings"))
        path = following["href"] if following else None
    assert pages == 3 and len(seen) == 104 and len(set(seen)) == 104
    assert "104 viewings (104 without authorisation) by 1 officer" in page.get_text(" ")
