"""viewing_tallies: the SRO's viewings page kept as viewings are logged; indexes for the logs

At 1,000,000 viewings the SRO's viewings page grouped the whole log by profile and by subject on
every request (2.7 s; issue 19). This revision adds the tallies the log now keeps as each
viewing or stopped attempt is written (viewing.tallies), filled here from the rows already
logged, and indexes that let each list of viewings be read a page at a time, newest or oldest
first, by officer, investigation, research profile, profile and subject. The covering indexes
of 0010 served only the grouping, which no request does now; their place is taken by narrower
ones that also serve the order.

Revision ID: 0027
Revises: 0024
"""

# ruff: noqa: S608 - the SQL below names only this module's own tables and columns
import sqlalchemy as sa
from alembic import op

from ripa_guard.law.viewing_rules import monitoring_signs

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None

#: (table, old index or None, new index, its columns)
INDEXES = [
    ("viewings", "ix_viewings_identity_tally", "ix_viewings_identity_viewed_at", "identity"),
    (
        "viewings",
        "ix_viewings_subject_key_tally",
        "ix_viewings_subject_key_viewed_at",
        "subject_key",
    ),
    ("viewings", "ix_viewings_officer_id", "ix_viewings_officer_id_viewed_at", "officer_id"),
    (
        "viewings",
        "ix_viewings_investigation_id",
        "ix_viewings_investigation_id_viewed_at",
        "investigation_id",
    ),
    ("viewings", None, "ix_viewings_research_profile_id_viewed_at", "research_profile_id"),
    (
        "viewing_attempts",
        "ix_viewing_attempts_identity",
        "ix_viewing_attempts_identity_attempted_at",
        "identity",
    ),
    (
        "viewing_attempts",
        "ix_viewing_attempts_subject_key",
        "ix_viewing_attempts_subject_key_attempted_at",
        "subject_key",
    ),
    (
        "viewing_attempts",
        "ix_viewing_attempts_officer_id",
        "ix_viewing_attempts_officer_id_attempted_at",
        "officer_id",
    ),
    (
        "viewing_attempts",
        None,
        "ix_viewing_attempts_research_profile_id_attempted_at",
        "research_profile_id",
    ),
]
_OLD_COLUMNS = {
    "ix_viewings_identity_tally": [
        "identity",
        "officer_id",
        "investigation_id",
        "basis",
        "viewed_at",
        "subject",
    ],
    "ix_viewings_subject_key_tally": [
        "subject_key",
        "officer_id",
        "investigation_id",
        "basis",
        "viewed_at",
        "subject",
    ],
}
#: (kind, the viewings' column, the attempts' column)
KINDS = [("profile", "identity", "identity"), ("subject", "subject_key", "subject_key")]


def _moment(table: str) -> str:
    return "viewed_at" if table == "viewings" else "attempted_at"


def upgrade() -> None:
    op.create_table(
        "viewing_tallies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("key", sa.String(length=400), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("viewings", sa.Integer(), nullable=False),
        sa.Column("unauthorised", sa.Integer(), nullable=False),
        sa.Column("officers", sa.Integer(), nullable=False),
        sa.Column("investigations", sa.Integer(), nullable=False),
        sa.Column("first_viewed", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_viewed", sa.DateTime(timezone=True), nullable=True),
        sa.Column("blocked", sa.Integer(), nullable=False),
        sa.Column("refused", sa.Integer(), nullable=False),
        sa.Column("stopped", sa.Integer(), nullable=False),
        sa.Column("signs", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_viewing_tallies")),
        sa.UniqueConstraint("kind", "key", name="uq_viewing_tallies_kind_key"),
    )
    op.create_index(
        "ix_viewing_tallies_order",
        "viewing_tallies",
        ["kind", "signs", "stopped", "last_viewed", "key"],
    )
    op.create_table(
        "viewing_tally_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tally_id", sa.Integer(), nullable=False),
        sa.Column("member", sa.String(length=20), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tally_id"],
            ["viewing_tallies.id"],
            name=op.f("fk_viewing_tally_members_tally_id_viewing_tallies"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_viewing_tally_members")),
        sa.UniqueConstraint("tally_id", "member", "member_id", name="uq_viewing_tally_members"),
    )
    for table, old, new, column in INDEXES:
        op.create_index(new, table, [column, _moment(table), "id"])
        if old is not None:
            op.drop_index(old, table_name=table)
    _fill(op.get_bind())


def _fill(connection) -> None:
    """The tallies of every row already logged, as viewing.tallies keeps them."""
    run = connection.execute
    for kind, column, attempt_column in KINDS:
        params = {"kind": kind, "no": False, "initial": "initial_research"}
        run(
            sa.text(
                "INSERT INTO viewing_tallies (kind, key, subject, viewings, unauthorised,"
                " officers, investigations, first_viewed, last_viewed, blocked, refused,"
                " stopped, signs)"
                f" SELECT :kind, {column}, max(subject), count(*),"
                " sum(CASE WHEN basis = :initial THEN 1 ELSE 0 END),"
                " count(DISTINCT officer_id), count(DISTINCT investigation_id),"
                " min(viewed_at), max(viewed_at), 0, 0, 0, :no"
                f" FROM viewings GROUP BY {column}"
            ),
            params,
        )
        run(
            sa.text(
                "INSERT INTO viewing_tallies (kind, key, subject, viewings, unauthorised,"
                " officers, investigations, blocked, refused, stopped, signs)"
                f" SELECT DISTINCT :kind, a.{attempt_column}, '', 0, 0, 0, 0, 0, 0, 0, :no"
                " FROM viewing_attempts a WHERE NOT EXISTS (SELECT 1 FROM viewing_tallies t"
                f" WHERE t.kind = :kind AND t.key = a.{attempt_column})"
            ),
            params,
        )
        for outcome in ("blocked", "refused"):
            run(
                sa.text(
                    f"UPDATE viewing_tallies SET {outcome} = (SELECT count(*)"
                    f" FROM viewing_attempts a WHERE a.{attempt_column} = viewing_tallies.key"
                    f" AND a.outcome = :outcome) WHERE kind = :kind AND key IN"
                    f" (SELECT {attempt_column} FROM viewing_attempts)"
                ),
                {"kind": kind, "outcome": outcome},
            )
        for member, member_column in (
            ("officer", "officer_id"),
            ("investigation", "investigation_id"),
        ):
            run(
                sa.text(
                    "INSERT INTO viewing_tally_members (tally_id, member, member_id)"
                    f" SELECT t.id, :member, d.member_id FROM (SELECT DISTINCT {column} AS k,"
                    f" {member_column} AS member_id FROM viewings) d"
                    " JOIN viewing_tallies t ON t.kind = :kind AND t.key = d.k"
                ),
                {"kind": kind, "member": member},
            )
    run(sa.text("UPDATE viewing_tallies SET stopped = blocked + refused"))
    signed = [
        id_
        for id_, officers, investigations, unauthorised in run(
            sa.text(
                "SELECT id, officers, investigations, unauthorised FROM viewing_tallies"
                " WHERE viewings > 0"
            )
        )
        if monitoring_signs(officers, investigations, unauthorised)
    ]
    for i in range(0, len(signed), 500):
        run(
            sa.text("UPDATE viewing_tallies SET signs = :yes WHERE id IN :ids").bindparams(
                sa.bindparam("ids", expanding=True)
            ),
            {"yes": True, "ids": signed[i : i + 500]},
        )
    # Fresh statistics, or PostgreSQL sorts every tally instead of reading the page's index.
    for table in ("viewing_tallies", "viewing_tally_members", "viewings", "viewing_attempts"):
        run(sa.text(f"ANALYZE {table}"))


def downgrade() -> None:
    for table, old, new, _column in reversed(INDEXES):
        if old is not None:
            op.create_index(old, table, _OLD_COLUMNS.get(old, [_column_of(old, table)]))
        op.drop_index(new, table_name=table)
    op.drop_table("viewing_tally_members")
    op.drop_index("ix_viewing_tallies_order", table_name="viewing_tallies")
    op.drop_table("viewing_tallies")


def _column_of(index: str, table: str) -> str:
    return index.removeprefix(f"ix_{table}_")
