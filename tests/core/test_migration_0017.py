"""Migration 0017 turns the references already typed into investigations of each service, grouped
by service and normalised reference, and reports what it merged (issue 15, item 1)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from ripa_guard.core import db
from ripa_guard.core.migrate import upgrade
from tests.databases import at_revision, own_database

NOW = datetime(2026, 3, 1, 10, tzinfo=UTC)


def _filler(column: sa.Column):
    kind = column.type
    if isinstance(kind, sa.Boolean):
        return False
    if isinstance(kind, sa.Integer):
        return 0
    if isinstance(kind, sa.DateTime):
        return NOW
    if isinstance(kind, sa.Date):
        return date(2026, 3, 1)
    if isinstance(kind, sa.JSON):
        return {}
    return ""


def insert(connection, tables, table_name: str, **values) -> int:
    """A row with `values`, and something of the right type in every other required column."""
    table = tables.tables[table_name]
    row = {
        c.name: _filler(c)
        for c in table.columns
        if not c.nullable and not c.primary_key and c.server_default is None
    }
    row.update(values)
    return connection.execute(table.insert().values(**row).returning(table.c.id)).scalar_one()


@pytest.fixture
def url(tmp_path):
    """Its own database, at the old revision (tests.databases.own_database)."""
    with own_database(tmp_path, "0017") as own:
        yield own


def test_typed_references_become_one_investigation_per_service_and_the_merge_is_reported(url):
    with at_revision(url, "0016") as (c, tables):
        olive = insert(c, tables, "users", email="o@x", name="Olive", service="Trading Standards")
        oscar = insert(c, tables, "users", email="s@x", name="Oscar", service="trading standards ")
        fern = insert(c, tables, "users", email="f@x", name="Fern", service="Counter Fraud")
        profile = insert(
            c, tables, "research_profiles", platform="web", handle="laptop", registered_by_id=olive
        )
        shared = insert(
            c, tables, "investigations", key="TS20260412", reference="TS/2026/0412", requests=0
        )
        apart = insert(
            c,
            tables,
            "investigations",
            key="TS20260412@COUNTERFRAUD",
            reference="ts-2026-0412",
            requests=0,
        )
        for officer, investigation, typed in (
            (olive, shared, "TS/2026/0412"),
            (oscar, shared, "ts 2026 0412"),
            (fern, apart, "ts-2026-0412"),
        ):
            insert(
                c,
                tables,
                "viewings",
                officer_id=officer,
                investigation_id=investigation,
                reference=typed,
                research_profile_id=profile,
                basis="initial_research",
                channel="web",
            )
        insert(
            c,
            tables,
            "triages",
            officer_id=olive,
            case_reference="TS/2026/0500",
            investigation_key="TS20260500",
            title="Plan",
        )
    upgrade(url)
    engine = db.make_engine(url)
    with engine.connect() as c:
        made = c.execute(
            sa.text("SELECT id, service, key, reference FROM investigations ORDER BY id")
        ).all()
        by_group = {(service.strip().casefold(), key): i for i, service, key, _ in made}
        assert set(by_group) == {
            ("trading standards", "TS20260412"),
            ("counter fraud", "TS20260412"),
            ("trading standards", "TS20260500"),
        }
        moved = dict(c.execute(sa.text("SELECT officer_id, investigation_id FROM viewings")).all())
        assert moved[olive] == moved[oscar] == by_group["trading standards", "TS20260412"]
        assert moved[fern] == by_group["counter fraud", "TS20260412"]
        members = c.execute(
            sa.text("SELECT user_id FROM investigation_officers WHERE investigation_id = :i"),
            {"i": by_group["trading standards", "TS20260412"]},
        ).scalars()
        assert sorted(members) == sorted([olive, oscar])
        [report] = c.execute(sa.text("SELECT text FROM migration_reports")).scalars()
    engine.dispose()
    assert "3 investigations made" in report
    assert "merged 2 ways of typing it: TS/2026/0412; ts 2026 0412" in report
