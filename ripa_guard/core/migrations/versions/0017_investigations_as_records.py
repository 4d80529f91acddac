"""investigations are records of a service; looks held for the RIPA coordinator (issue 15)

- investigations: the service it belongs to, title, offences, closed by/at/why; the case
  reference is unique in the service (service_key, key), no longer across the council.
- investigation_officers (who works on it), investigation_subjects (subjects and profiles),
  case_reference_formats (each service's format, set by the coordinator), profile_locks (looks
  at one profile are decided one at a time), held_looks and held_look_decisions, and
  migration_reports (what this migration merged, for the SRO).

Data: each reference already typed becomes an investigation of the service of the officer who
used it, grouped by service and normalised reference (viewing_rules.reference_key). A reference
that two services had used is split, one investigation each; keys that the gate had kept apart
("TS20260412@COUNTERFRAUD") become their service's plain reference. Everyone who viewed under
it, planned under it or applied under it works on it. The merge report is printed, logged and
kept in migration_reports (`ripa-guard migration-report`).

Revision ID: 0017
Revises: 0016
"""

import logging
import re
import unicodedata
from collections import defaultdict
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")


def _reference_key(text: str) -> str:
    # viewing_rules.reference_key, as it was at this revision (a migration never imports code
    # that may change after it).
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text or "")).upper()


def _service_key(service: str | None) -> str:
    return (service or "").strip().casefold()


def _required(name: str, target: str) -> sa.Column:
    """A required, indexed reference to another table's row."""
    return sa.Column(name, sa.Integer(), sa.ForeignKey(target), nullable=False, index=True)


def _schema() -> None:
    with op.batch_alter_table("investigations") as batch_op:
        batch_op.add_column(sa.Column("service", sa.String(200), nullable=False, server_default=""))
        batch_op.add_column(
            sa.Column("service_key", sa.String(200), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("title", sa.String(200), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("offences", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("closed_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("closed_reason", sa.Text(), nullable=False, server_default="")
        )
        batch_op.create_foreign_key(
            "fk_investigations_closed_by_id_users", "users", ["closed_by_id"], ["id"]
        )
        batch_op.drop_constraint("uq_investigations_key", type_="unique")
        batch_op.create_index("ix_investigations_key", ["key"])
        batch_op.create_index("ix_investigations_service_key", ["service_key"])
        batch_op.create_unique_constraint("uq_investigations_service_key", ["service_key", "key"])
    op.create_table(
        "investigation_officers",
        sa.Column("id", sa.Integer(), primary_key=True),
        _required("investigation_id", "investigations.id"),
        _required("user_id", "users.id"),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("added_by_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("removed_by_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
    )
    op.create_table(
        "investigation_subjects",
        sa.Column("id", sa.Integer(), primary_key=True),
        _required("investigation_id", "investigations.id"),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("subject_key", sa.String(200), nullable=False, index=True),
        sa.Column("identities", sa.JSON(), nullable=False),
        sa.Column("addresses", sa.JSON(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("added_by_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
    )
    op.create_table(
        "case_reference_formats",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("service", sa.String(200), nullable=False),
        sa.Column("service_key", sa.String(200), nullable=False, index=True),
        sa.Column("template", sa.String(100), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("set_by_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
    )
    op.create_table(
        "profile_locks",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("key", sa.String(400), nullable=False, unique=True),
        sa.Column("requests", sa.Integer(), nullable=False),
    )
    op.create_table(
        "held_looks",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("held_at", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column(
            "officer_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False, index=True
        ),
        sa.Column("officer_name", sa.String(200), nullable=False),
        sa.Column("officer_service", sa.String(200), nullable=False),
        _required("investigation_id", "investigations.id"),
        sa.Column(
            "research_profile_id",
            sa.Integer(),
            sa.ForeignKey("research_profiles.id"),
            nullable=True,
        ),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("platform", sa.String(200), nullable=False),
        sa.Column("identity", sa.String(400), nullable=False, index=True),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("subject_key", sa.String(200), nullable=False, index=True),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("earlier_viewing_ids", sa.JSON(), nullable=False),
        sa.Column("channel", sa.String(40), nullable=False),
    )
    op.create_table(
        "held_look_decisions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "held_look_id",
            sa.Integer(),
            sa.ForeignKey("held_looks.id"),
            nullable=False,
            unique=True,
        ),
        sa.Column("ruling", sa.String(40), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
    )
    op.create_table(
        "migration_reports",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("revision", sa.String(40), nullable=False),
        sa.Column("written_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
    )


_investigations = sa.table(
    "investigations",
    sa.column("id", sa.Integer()),
    sa.column("key", sa.String()),
    sa.column("reference", sa.String()),
    sa.column("service", sa.String()),
    sa.column("service_key", sa.String()),
    sa.column("title", sa.String()),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("created_by_id", sa.Integer()),
    sa.column("requests", sa.Integer()),
)
_users = sa.table("users", sa.column("id", sa.Integer()), sa.column("service", sa.String()))
_members = sa.table(
    "investigation_officers",
    sa.column("investigation_id", sa.Integer()),
    sa.column("user_id", sa.Integer()),
    sa.column("added_at", sa.DateTime(timezone=True)),
)


class _Merger:
    """Finds or makes the one investigation of each (service, reference key), remembering what
    was typed, who used it and what it held, for the report."""

    def __init__(self, connection, now):
        self.connection = connection
        self.now = now
        self.services = dict(connection.execute(sa.select(_users.c.id, _users.c.service)).all())
        self.found: dict[tuple[str, str], int] = {}
        self.typed: dict[int, set[str]] = defaultdict(set)
        self.members: dict[int, set[int]] = defaultdict(set)
        self.counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.names: dict[int, tuple[str, str]] = {}

    def investigation(self, user_id, key, reference, title="") -> int:
        service = self.services.get(user_id) or ""
        group = (_service_key(service), key)
        if group not in self.found:
            new_id = self.connection.execute(
                _investigations.insert()
                .values(
                    key=key[:100],
                    reference=(reference or key)[:100],
                    service=service[:200],
                    service_key=group[0][:200],
                    title=(title or "")[:200],
                    created_at=self.now,
                    created_by_id=user_id,
                    requests=0,
                )
                .returning(_investigations.c.id)
            ).scalar_one()
            self.found[group] = new_id
            self.names[new_id] = (service, reference or key)
        found = self.found[group]
        if reference:
            self.typed[found].add(reference)
        if user_id:
            self.members[found].add(user_id)
        return found


def _move(connection, table: str, merger: _Merger, now) -> None:
    rows = sa.table(
        table,
        sa.column("id", sa.Integer()),
        sa.column("officer_id", sa.Integer()),
        sa.column("investigation_id", sa.Integer()),
        sa.column("reference", sa.String()),
    )
    old = sa.table(
        "investigations_old",
        sa.column("id", sa.Integer()),
        sa.column("key", sa.String()),
        sa.column("reference", sa.String()),
    )
    for row_id, officer_id, _inv, reference, key, first in connection.execute(
        sa.select(rows.c.id, rows.c.officer_id, rows.c.investigation_id, rows.c.reference)
        .add_columns(old.c.key, old.c.reference)
        .join(old, old.c.id == rows.c.investigation_id)
    ):
        base = key.split("@", 1)[0]
        found = merger.investigation(officer_id, base, reference or first)
        merger.counts[found][table] += 1
        connection.execute(rows.update().where(rows.c.id == row_id).values(investigation_id=found))


def _data() -> None:
    connection = op.get_bind()
    now = datetime.now(UTC)
    merger = _Merger(connection, now)
    # The old rows are kept aside under their ids, then every row that points at them is moved
    # to its service's investigation, and the old rows are removed.
    op.create_table(
        "investigations_old",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("key", sa.String(100)),
        sa.Column("reference", sa.String(100)),
    )
    old = sa.table(
        "investigations_old",
        sa.column("id", sa.Integer()),
        sa.column("key", sa.String()),
        sa.column("reference", sa.String()),
    )
    existing = connection.execute(
        sa.select(_investigations.c.id, _investigations.c.key, _investigations.c.reference)
    ).all()
    if existing:
        connection.execute(
            old.insert(), [{"id": i, "key": k, "reference": r} for i, k, r in existing]
        )
    # Keys taken by the old rows must not collide with the new ones while both exist.
    for row_id, _key, _ in existing:
        connection.execute(
            _investigations.update()
            .where(_investigations.c.id == row_id)
            .values(key=f"~old{row_id}", service_key=f"~old{row_id}")
        )
    for table in ("viewings", "viewing_attempts"):
        _move(connection, table, merger, now)
    for table in ("triages", "applications"):
        columns = ["officer_id", "investigation_key", "case_reference"]
        if table == "applications":
            columns.append("investigation_title")
        records = sa.table(table, *(sa.column(c, sa.String()) for c in columns))
        select = sa.select(*(records.c[c] for c in columns)).where(
            records.c.investigation_key != "", records.c.case_reference != ""
        )
        for row in connection.execute(select):
            title = row[3] if len(row) > 3 else ""
            found = merger.investigation(row[0], row[1], row[2], title)
            merger.counts[found][table] += 1
    for row_id, _key, _ref in existing:
        connection.execute(_investigations.delete().where(_investigations.c.id == row_id))
    op.drop_table("investigations_old")
    for found, members in merger.members.items():
        for user_id in sorted(members):
            connection.execute(
                _members.insert().values(investigation_id=found, user_id=user_id, added_at=now)
            )
    _report(connection, merger, now)


def _report(connection, merger: _Merger, now) -> None:
    lines = [f"Migration 0017: {len(merger.found)} investigations made from typed references."]
    for found, (service, reference) in sorted(merger.names.items(), key=lambda i: i[1]):
        typed = sorted(merger.typed[found])
        counts = ", ".join(f"{n} {table}" for table, n in sorted(merger.counts[found].items()))
        merged = f"merged {len(typed)} ways of typing it: " + "; ".join(typed)
        lines.append(
            f"- {service or '(no service)'}: {reference} ({merged}). Holds {counts or 'nothing'}; "
            f"{len(merger.members[found])} officers on it."
        )
    text = "\n".join(lines)
    log.info(text)
    print(text)
    reports = sa.table(
        "migration_reports",
        sa.column("revision", sa.String()),
        sa.column("written_at", sa.DateTime(timezone=True)),
        sa.column("text", sa.Text()),
    )
    connection.execute(reports.insert().values(revision="0017", written_at=now, text=text))


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        # SQLite's batch mode copies the investigations table and drops the old one, which
        # viewings refer to. Outside a transaction (pysqlite runs DDL so) foreign keys are
        # turned off until the copy is in place; inside one, they are checked at commit.
        op.execute("PRAGMA foreign_keys=OFF")
        op.execute("PRAGMA defer_foreign_keys=ON")
    _schema()
    if sqlite:
        op.execute("PRAGMA foreign_keys=ON")
    _data()


def downgrade() -> None:
    for table in (
        "migration_reports",
        "held_look_decisions",
        "held_looks",
        "profile_locks",
        "case_reference_formats",
        "investigation_subjects",
        "investigation_officers",
    ):
        op.drop_table(table)
    with op.batch_alter_table("investigations") as batch_op:
        batch_op.drop_constraint("uq_investigations_service_key", type_="unique")
        batch_op.drop_index("ix_investigations_service_key")
        batch_op.drop_index("ix_investigations_key")
        batch_op.drop_constraint("fk_investigations_closed_by_id_users", type_="foreignkey")
        for column in (
            "closed_reason",
            "closed_by_id",
            "closed_at",
            "offences",
            "title",
            "service_key",
            "service",
        ):
            batch_op.drop_column(column)
        batch_op.create_unique_constraint("uq_investigations_key", ["key"])
