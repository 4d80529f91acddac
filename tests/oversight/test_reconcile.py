"""Reconciling proxy logs with the viewing log: matched, unlogged (a proposed error), other sites,
malformed lines, unknown users, bursts and tunnels; Squid and CSV; the command line."""

from __future__ import annotations

import hashlib
import io
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from ripa_guard.accounts.models import User
from ripa_guard.core import db
from ripa_guard.core.changes import InputProblem, Refused
from ripa_guard.core.models import AuditEvent
from ripa_guard.oversight import reconciliation
from ripa_guard.oversight.models import ErrorKind, RelevantError
from ripa_guard.oversight.reconciliation_models import UnloggedVisit
from ripa_guard.viewing import log as viewing_log

T0 = datetime(2026, 3, 31, 9, 0, tzinfo=UTC)
PROFILE = "https://www.facebook.com/bargainbags.example"
OTHER_PROFILE = "https://www.instagram.com/someone.else.example/"
TODAY = date(2026, 4, 1)


def squid(at: datetime, url: str, user: str = "olive.officer", method="GET", kind="text/html"):
    return (
        f"{at.timestamp():.3f}      0 10.1.2.3 TCP_MISS/200 5120 {method} {url} {user} "
        f"HIER_DIRECT/157.240.1.35 {kind}"
    )


def log_viewing(app, officer, case, url, at, subject="Bargain Bags (trading name)"):
    with app.app_context():
        s = db.session()
        ask = viewing_log.ViewingRequest(
            url=url,
            investigation_id=case[0],
            subject=subject,
            purpose="To see whether the seller is still trading",
            research_profile_id=case[1],
            captured=False,
        )
        return viewing_log.request_viewing(s, s.get(User, officer.id), ask, at)


def run(app, text: str, name="access.log", fmt=None, actor=None, mapping=None, **settings):
    with app.app_context():
        s = db.session()
        options = reconciliation.Options(
            user_match=settings.get("user_match", "local-part"),
            mapping=mapping,
            match_minutes=settings.get("match_minutes", 10),
            burst_seconds=settings.get("burst_seconds", 120),
        )
        result = reconciliation.reconcile_log(
            s,
            s.get(User, actor.id) if actor else None,
            io.BytesIO(text.encode()),
            file_name=name,
            file_format=fmt,
            options=options,
            today=TODAY,
        )
        s.expunge(result)
        return result


def unlogged(app) -> list[UnloggedVisit]:
    with app.app_context():
        return list(db.session().scalars(select(UnloggedVisit).order_by(UnloggedVisit.id)))


def proposed(app) -> list[RelevantError]:
    with app.app_context():
        return list(db.session().scalars(select(RelevantError).order_by(RelevantError.id)))


def test_a_visit_with_a_viewing_logged_minutes_before_is_matched(app, olive, case):
    log_viewing(app, olive, case, PROFILE, T0 - timedelta(minutes=3))
    found = run(app, squid(T0, PROFILE + "?fbclid=abc") + "\n")
    assert (found.visits, found.matched, found.unlogged) == (1, 1, 0)
    assert unlogged(app) == [] and proposed(app) == []


def test_a_visit_with_no_viewing_becomes_a_proposed_error_for_the_sro(app, olive, case):
    log_viewing(app, olive, case, PROFILE, T0 - timedelta(minutes=30))
    found = run(app, squid(T0, "https://m.facebook.com/BargainBags.Example/photos") + "\n")
    assert (found.visits, found.matched, found.unlogged) == (1, 0, 1)
    (visit,) = unlogged(app)
    assert visit.identity == "facebook:bargainbagsexample"
    assert (visit.officer_name, visit.officer_service) == ("Olive Officer", "Trading Standards")
    assert visit.line == 1 and visit.visited_on == date(2026, 3, 31)
    (error,) = proposed(app)
    assert error.proposed_by_ripa_guard and error.kind == ErrorKind.OTHER
    assert error.proposal_key == visit.proposal_key
    assert "Olive Officer" in error.summary and "Facebook: bargainbagsexample" in error.summary
    assert error.occurred_on == date(2026, 3, 31) and error.found_on == TODAY


def test_a_viewing_by_another_officer_does_not_match(app, olive, other_officer, case):
    log_viewing(app, other_officer, case, PROFILE, T0)
    found = run(app, squid(T0, PROFILE) + "\n")
    assert found.unlogged == 1


def test_a_look_the_gate_stopped_and_the_proxy_shows_is_surveillance_without_authorisation(
    app, olive, case
):
    assert log_viewing(app, olive, case, PROFILE, T0 - timedelta(days=2)).viewing
    assert log_viewing(app, olive, case, PROFILE, T0).attempt  # a repeat: blocked
    run(app, squid(T0 + timedelta(seconds=20), PROFILE) + "\n")
    (visit,) = unlogged(app)
    assert visit.stopped_attempt_id is not None
    (error,) = proposed(app)
    assert error.kind == ErrorKind.NO_AUTHORISATION and "gate had stopped" in error.summary


def test_other_sites_and_platform_home_pages_are_counted_and_ignored(app, olive, case):
    lines = [
        squid(T0, "https://www.borsetshire.example.gov.uk/bins"),
        squid(T0, "https://shop.example.net/bargainbags"),
        squid(T0, "https://www.facebook.com/"),
        squid(T0, "https://www.facebook.com/search/top?q=bags"),
        squid(T0, "https://static.xx.fbcdn.net/rsrc.php/x.js", kind="application/javascript"),
        squid(T0, PROFILE + "/photo.jpg", kind="image/jpeg"),
    ]
    found = run(app, "\n".join(lines))
    assert (found.other_sites, found.platform_pages, found.not_pages) == (2, 2, 2)
    assert found.visits == 0 and unlogged(app) == []


def test_malformed_lines_are_reported_with_their_numbers_and_skipped(app, olive, case):
    lines = [
        squid(T0, PROFILE),
        "this is not a log line",
        "",
        "1.0 x y z a b c d",
        squid(T0, PROFILE),
    ]
    found = run(app, "\n".join(lines))
    assert found.lines == 5 and found.malformed == 2
    assert [e[0] for e in found.malformed_examples] == [2, 4]
    assert found.visits == 1


def test_an_unknown_log_user_is_listed_not_dropped(app, olive, case):
    lines = [squid(T0, PROFILE, user="mystery.user"), squid(T0, PROFILE, user="-")]
    found = run(app, "\n".join(lines))
    assert found.unknown_user_requests == 2
    assert dict(map(tuple, found.unknown_users)) == {
        "mystery.user": 1,
        "(no user name in the log)": 1,
    }
    assert found.visits == 0


def test_a_users_file_maps_a_log_user_to_an_account(app, olive, case):
    found = run(
        app,
        squid(T0, PROFILE, user="OOFF01"),
        user_match="username-map",
        mapping={"ooff01": "olive.officer@borsetshire.example.gov.uk"},
    )
    assert found.unknown_users == [] and found.unlogged == 1


def test_email_matching_takes_a_windows_domain_off(app, olive, case):
    found = run(
        app,
        squid(T0, PROFILE, user="BORSETSHIRE%5Colive.officer@borsetshire.example.gov.uk"),
        user_match="email",
    )
    assert found.unlogged == 1


def test_a_users_file_naming_no_account_is_refused_next_to_its_field(app, olive, case):
    with pytest.raises(InputProblem) as problem:
        run(app, squid(T0, PROFILE), mapping={"x": "nobody@example.gov.uk"})
    assert problem.value.field == "users"


def test_a_burst_of_requests_of_one_profile_is_one_visit(app, olive, case):
    page = [
        squid(T0 + timedelta(seconds=s), PROFILE + p)
        for s, p in ((0, ""), (2, "/photos"), (50, "/about"), (150, ""))
    ]
    # Four requests, each within two minutes of the one before: one visit; then an hour later.
    later = squid(T0 + timedelta(hours=1), PROFILE)
    found = run(app, "\n".join([*page, later]))
    assert found.visits == 2
    first, second = unlogged(app)
    assert first.requests == 4 and first.last_at - first.first_at == timedelta(seconds=150)
    assert second.requests == 1
    # One error for the officer, the profile and the day.
    assert len(proposed(app)) == 1


def test_https_tunnels_are_counted_as_host_only(app, olive, case):
    lines = [
        squid(T0, "www.facebook.com:443", method="CONNECT", kind="-"),
        squid(T0, "www.borsetshire.example.gov.uk:443", method="CONNECT", kind="-"),
    ]
    found = run(app, "\n".join(lines))
    assert (found.host_only, found.host_only_platforms, found.visits) == (2, 1, 0)


def test_a_csv_log_is_reconciled_the_same_way(app, olive, case):
    log_viewing(app, olive, case, PROFILE, T0)
    text = "\n".join(
        [
            "time,user,address",
            "2026-03-31T10:02:00,olive.officer,https://www.facebook.com/bargainbags.example",
            f"{(T0 + timedelta(hours=2)).timestamp():.0f},olive.officer,{OTHER_PROFILE}",
            "not a time,olive.officer,https://www.facebook.com/x",
            "2026-03-31T10:00:00,olive.officer,https://www.borsetshire.example.gov.uk/",
        ]
    )
    found = run(app, text, name="proxy.csv")
    assert found.file_format == "csv"
    assert (found.visits, found.matched, found.unlogged, found.other_sites) == (2, 1, 1, 1)
    assert found.malformed == 1 and found.malformed_examples[0][0] == 4
    assert unlogged(app)[0].identity == "instagram:someone.else.example"


def test_an_empty_file_and_a_file_in_another_format_are_refused(app, olive, case):
    with pytest.raises(InputProblem, match="empty"):
        run(app, "")
    with pytest.raises(InputProblem, match="is it a CSV file"):
        run(app, "time,user,address\n2026-03-31T10:00:00,olive,https://x.example/\n", fmt="squid")
    with app.app_context():
        assert db.session().scalar(select(reconciliation.ReconciliationRun.id)) is None


def test_the_run_is_kept_with_the_file_hash_and_audited(app, olive, sro, case):
    text = squid(T0, PROFILE) + "\n"
    found = run(app, text, actor=sro)
    assert found.file_sha256 == hashlib.sha256(text.encode()).hexdigest()
    assert found.run_by_id == sro.id and found.file_name == "access.log"
    with app.app_context():
        event = db.session().scalar(
            select(AuditEvent).where(AuditEvent.action == "reconciliation.run")
        )
        assert event.object_id == found.id and event.detail["unlogged"] == 1


def test_the_same_log_twice_proposes_each_error_once(app, olive, case):
    run(app, squid(T0, PROFILE))
    run(app, squid(T0, PROFILE))
    assert len(unlogged(app)) == 2 and len(proposed(app)) == 1


def test_only_the_sro_may_reconcile(app, olive, coordinator, case):
    with pytest.raises(Refused):
        run(app, squid(T0, PROFILE), actor=coordinator)


def test_visits_are_matched_in_batches_across_the_log(app, olive, case, monkeypatch):
    """Many visits, few per batch: each batch fetches its own viewings, none is missed."""
    from ripa_guard.viewing import reconcile

    monkeypatch.setattr(reconcile, "BATCH", 3)
    monkeypatch.setattr(reconcile.Settings, "__init__", _small_batches(reconcile.Settings.__init__))
    for hour in range(0, 10, 2):
        url, at = f"https://www.tiktok.com/@seller{hour}", T0 + timedelta(hours=hour)
        assert log_viewing(app, olive, case, url, at, subject=f"Seller {hour}").viewing
    lines = [
        squid(T0 + timedelta(hours=hour, minutes=1), f"https://www.tiktok.com/@seller{hour}")
        for hour in range(10)
    ]
    found = run(app, "\n".join(lines))
    assert (found.visits, found.matched, found.unlogged) == (10, 5, 5)


def _small_batches(init):
    def wrapped(self, *args, **kwargs):
        init(self, *args, **kwargs)
        self.batch = 3

    return wrapped


def test_the_command_prints_the_summary(app, olive, case, tmp_path):
    log = tmp_path / "access.log"
    log.write_text(
        squid(T0, PROFILE) + "\nrubbish\n" + squid(T0, "www.facebook.com:443", method="CONNECT")
    )
    users = tmp_path / "users.csv"
    users.write_text("log user,email\nolive.officer,olive.officer@borsetshire.example.gov.uk\n")
    result = app.test_cli_runner().invoke(
        args=["reconcile", str(log), "--format", "squid", "--users", str(users)]
    )
    assert result.exit_code == 0, result.output
    assert "not in the viewing log (proposed as errors): 1" in result.output
    assert "line 2:" in result.output
    assert "host only" in result.output and "of which to listed platforms: 1" in result.output


def test_the_command_says_what_is_wrong_with_an_empty_file(app, tmp_path):
    log = tmp_path / "empty.log"
    log.write_text("")
    result = app.test_cli_runner().invoke(args=["reconcile", str(log)])
    assert result.exit_code != 0 and "The file is empty" in result.output


def test_the_queries_grow_with_the_looks_at_profiles_not_with_the_lines(
    app, olive, case, count_queries
):
    visit = squid(T0, PROFILE)
    other = [
        squid(T0 + timedelta(seconds=s), f"https://www.site{s}.example.com/") for s in range(2000)
    ]
    run(app, visit)  # the error is proposed once: both runs below find it there
    with count_queries() as short:
        run(app, "\n".join([visit, *other[:20]]))
    with count_queries() as long:
        run(app, "\n".join([visit, *other]))
    assert long.count == short.count
