"""triages: a reference of their own for plans that could not become an application

A plan stopped at the crime threshold is on the central record, but no application was made
and no URN allocated. It was shown as "NOT-MADE-<internal id>"; it now has a reference like
RIPA/2026/NM0001, allocated once when the outcome is given (applications.urn), and filled here
for plans stopped before this migration, in the order they were stopped.

Revision ID: 0012
Revises: 0010
"""

from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

from ripa_guard.core.columns import UtcDateTime

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

LONDON = ZoneInfo("Europe/London")


def upgrade() -> None:
    with op.batch_alter_table("triages") as batch_op:
        batch_op.add_column(sa.Column("reference", sa.String(length=40), nullable=True))
        batch_op.create_index("ix_triages_reference", ["reference"], unique=True)
    _fill(op.get_bind())


def _fill(bind) -> None:
    triages = sa.table(
        "triages",
        sa.column("id"),
        sa.column("outcome"),
        sa.column("completed_at", UtcDateTime()),
        sa.column("reference"),
    )
    applications = sa.table("applications", sa.column("urn"))
    sequences = sa.table(
        "urn_sequences", sa.column("prefix"), sa.column("year"), sa.column("last_number")
    )
    # The council's URN prefix as its URNs show it; the shipped default where there are none.
    urn = bind.execute(
        sa.select(applications.c.urn).where(applications.c.urn.is_not(None)).limit(1)
    ).scalar()
    prefix = urn.split("/")[0] if urn else "RIPA"
    stops = bind.execute(
        sa.select(triages.c.id, triages.c.completed_at)
        .where(triages.c.outcome == "cannot_be_authorised", triages.c.completed_at.is_not(None))
        .order_by(triages.c.completed_at, triages.c.id)
    ).all()
    counts: dict[int, int] = {}
    for row_id, completed_at in stops:
        year = completed_at.astimezone(LONDON).year
        counts[year] = counts.get(year, 0) + 1
        bind.execute(
            triages.update()
            .where(triages.c.id == row_id)
            .values(reference=f"{prefix}/{year}/NM{counts[year]:04d}")
        )
    for year, last in counts.items():
        bind.execute(sequences.insert().values(prefix=f"{prefix}/NM", year=year, last_number=last))


def downgrade() -> None:
    bind = op.get_bind()
    sequences = sa.table("urn_sequences", sa.column("prefix"))
    bind.execute(sequences.delete().where(sequences.c.prefix.like("%/NM")))
    with op.batch_alter_table("triages") as batch_op:
        batch_op.drop_index("ix_triages_reference")
        batch_op.drop_column("reference")
