"""The log of reads: who opened which record or extract, and when (Data Protection Act 2018
s.62(1)(c), (2)); written once per read, shown to the SRO, checked by verify-audit."""

from __future__ import annotations

from sqlalchemy import select, update

from ripa_guard.core import db
from ripa_guard.core.models import ReadEvent
from tests import records


def _reads(app) -> list[tuple]:
    with app.app_context():
        rows = db.session().scalars(select(ReadEvent).order_by(ReadEvent.id))
        return [(r.actor_id, r.what, r.record_id, r.capacity) for r in rows]


def test_opening_an_application_and_its_papers_is_logged_with_who_and_as_what(
    client, app, officer, authoriser, coordinator
):
    application_id = records.active(app, officer, authoriser, coordinator)
    client.sign_in(coordinator)
    client.get(f"/applications/{application_id}")
    client.get_response(f"/applications/{application_id}/court-papers")
    assert _reads(app) == [
        (coordinator.id, "application", application_id, "coordinator"),
        (coordinator.id, "court_papers", application_id, "coordinator"),
    ]


def test_an_extract_and_a_central_record_entry_are_logged(
    client, app, officer, authoriser, coordinator, inspector
):
    application_id = records.active(app, officer, authoriser, coordinator)
    client.sign_in(inspector)
    client.get(f"/register/{application_id}")
    response = client.get_response("/register/extract.csv?from=2026-01-01&to=2026-12-31")
    assert response.status_code == 200
    reads = _reads(app)
    assert [r[1] for r in reads] == ["central_record_entry", "extract_csv"]
    with app.app_context():
        extract = (
            db.session().scalars(select(ReadEvent).where(ReadEvent.what == "extract_csv")).one()
        )
    assert extract.detail == "2026-01-01 to 2026-12-31" and extract.actor_id == inspector.id


def test_a_refused_page_logs_no_read(client, app, officer, other_officer, authoriser, coordinator):
    application_id = records.submitted(app, officer)
    client.sign_in(other_officer)
    assert client.get_response(f"/applications/{application_id}").status_code == 403
    assert _reads(app) == []


def test_a_read_costs_one_insert(client, app, officer, authoriser, coordinator, count_queries):
    application_id = records.active(app, officer, authoriser, coordinator)
    client.sign_in(coordinator)
    client.get(f"/applications/{application_id}")
    with count_queries() as counted:
        client.get(f"/applications/{application_id}")
    writes = [s for s in counted.statements if "read_log" in s]
    assert len(writes) == 1 and writes[0].lstrip().upper().startswith("INSERT")


def test_a_page_that_only_read_writes_its_read_on_its_own_connection(
    client, app, officer, authoriser, coordinator
):
    from sqlalchemy import event

    application_id = records.active(app, officer, authoriser, coordinator)
    client.sign_in(coordinator)
    client.get(f"/applications/{application_id}")
    engine = app.extensions["ripa_guard.engine"]
    checkouts = []
    listener = lambda *_args: checkouts.append(1)  # noqa: E731
    event.listen(engine, "checkout", listener)
    try:
        client.get(f"/applications/{application_id}")
    finally:
        event.remove(engine, "checkout", listener)
    assert len(checkouts) == 1
    assert [r[1] for r in _reads(app)] == ["application", "application"]


def test_a_session_with_something_of_its_own_to_commit_is_not_only_reading(app, officer):
    from ripa_guard.accounts.models import User

    with app.app_context():
        s = db.session()
        s.get(User, officer.id)
        assert db.only_read(s)
        s.execute(update(User).where(User.id == -1).values(name="Nobody"))
        assert not db.only_read(s)
        s.rollback()
        assert db.only_read(s)
        s.get(User, officer.id).grade = "Changed"
        assert not db.only_read(s)
        s.flush()
        assert not db.only_read(s)
        s.rollback()
        assert db.only_read(s)


def test_the_sro_sees_who_read_what_filtered_by_person_and_paged(
    client, app, sro, officer, authoriser, coordinator, monkeypatch
):
    from ripa_guard.core import read_log

    monkeypatch.setattr(read_log, "PAGE_SIZE", 2)
    application_id = records.active(app, officer, authoriser, coordinator)
    client.sign_in(coordinator)
    for _ in range(3):
        client.get(f"/applications/{application_id}")
    client.sign_in(authoriser)
    client.get(f"/applications/{application_id}")
    client.sign_in(sro)
    page = client.get("/admin/reads")
    rows = page.select("#reads tbody tr")
    assert len(rows) == 2 and "Arthur Authoriser" in rows[0].get_text()
    assert "Authorising officer" in rows[0].get_text()
    page = client.get(f"/admin/reads?person={coordinator.id}")
    assert [r.get_text() for r in page.select("#reads tbody tr")][0].count("Cora Coordinator") == 1
    older = page.find("a", string="Older reads")["href"]
    page = client.get(older)
    assert len(page.select("#reads tbody tr")) == 1
    assert page.find("a", string="Older reads") is None


def test_odd_query_strings_show_the_log_without_error(client, sro):
    client.sign_in(sro)
    for query in ("person=abc", "person=99999999999999999999", "before=-1", "before=1e9"):
        client.get(f"/admin/reads?{query}")


def test_only_the_sro_sees_the_log(client, coordinator):
    client.sign_in(coordinator)
    assert client.get_response("/admin/reads").status_code == 403


def test_verify_audit_checks_the_log_of_reads(client, app, officer, authoriser, coordinator):
    application_id = records.active(app, officer, authoriser, coordinator)
    client.sign_in(coordinator)
    client.get(f"/applications/{application_id}")
    client.get(f"/applications/{application_id}")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["verify-audit"])
    assert "Log of reads intact: 2 reads." in result.output
    with app.app_context():
        first = db.session().scalars(select(ReadEvent.id).order_by(ReadEvent.id)).first()
        # Someone with the database rewrites who read it.
        db.session().execute(
            update(ReadEvent).where(ReadEvent.id == first).values(actor_id=officer.id)
        )
        db.session().commit()
    result = runner.invoke(args=["verify-audit"])
    assert result.exit_code != 0 and "changed after they were written: 1" in result.output


def test_opening_a_viewing_and_every_look_at_its_profile_is_logged(
    client, app, officer, coordinator, facebook_profile
):
    from urllib.parse import quote

    from tests.viewing_setup import view, viewings

    client.sign_in(officer)
    assert view(client, profile=facebook_profile).status_code == 302
    logged = viewings(app)[0]
    client.get(f"/viewings/{logged.id}")
    client.sign_in(coordinator)
    client.get(f"/viewings/oversight/profile?identity={quote(logged.identity)}")
    reads = _reads(app)
    assert [(r[0], r[1], r[2]) for r in reads] == [
        (officer.id, "viewing", logged.id),
        (coordinator.id, "profile_history", None),
    ]
