"""applications: every offence the conduct is believed to constitute; the authorising officer's
confirmation that they are genuinely suspected

SI 2010/521 art. 7A(2)-(3) asks whether the conduct constitutes "the criminal offence or one of
the criminal offences": an application lists every offence, with the facts for each element,
and the threshold is met if any one qualifies (DOMAIN.md §1).

- applications.offence_codes: the register codes named, filled from offence_code for existing
  rows; applications.offence_facts: by code, the facts for each element, filled from the answer
  "offence_details" that the single-offence form asked for.
- authorising_decisions.offences_genuine: on an approval, whether the authorising officer is
  satisfied that the offences meeting the threshold are genuinely suspected, not named to clear
  it. Empty on decisions recorded before this revision.

Revision ID: 0016
Revises: 0014
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("applications") as batch_op:
        batch_op.add_column(
            sa.Column("offence_codes", sa.JSON(), nullable=False, server_default="[]")
        )
        batch_op.add_column(
            sa.Column("offence_facts", sa.JSON(), nullable=False, server_default="{}")
        )
    with op.batch_alter_table("authorising_decisions") as batch_op:
        batch_op.add_column(sa.Column("offences_genuine", sa.Boolean(), nullable=True))

    applications = sa.table(
        "applications",
        sa.column("id", sa.Integer()),
        sa.column("offence_code", sa.String()),
        sa.column("answers", sa.JSON()),
        sa.column("offence_codes", sa.JSON()),
        sa.column("offence_facts", sa.JSON()),
    )
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(applications.c.id, applications.c.offence_code, applications.c.answers).where(
            applications.c.offence_code != ""
        )
    ).all()
    for row in rows:
        answers = row.answers if isinstance(row.answers, dict) else json.loads(row.answers or "{}")
        facts = (answers or {}).get("offence_details", "") or ""
        connection.execute(
            applications.update()
            .where(applications.c.id == row.id)
            .values(
                offence_codes=[row.offence_code],
                offence_facts={row.offence_code: facts} if facts else {},
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("authorising_decisions") as batch_op:
        batch_op.drop_column("offences_genuine")
    with op.batch_alter_table("applications") as batch_op:
        batch_op.drop_column("offence_facts")
        batch_op.drop_column("offence_codes")
