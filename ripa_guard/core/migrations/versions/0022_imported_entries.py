"""applications.imported_from, imported_at, imported: entries imported from the council's own record

A council starting with ripa_guard brings the central record it kept before (issue 18, item 5).
An imported entry keeps the council's URN and is marked with the file it came from and when;
`imported` holds the file's SHA-256, the row, the day the entry ended (for its retention date),
and every Code item of the row as the council recorded it, under the extract's column headers.
Existing rows are not imported: the columns stay empty for them.

Revision ID: 0022
Revises: 0021
"""

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("applications") as batch_op:
        batch_op.add_column(sa.Column("imported_from", sa.String(300), nullable=True))
        batch_op.add_column(sa.Column("imported_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("imported", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("applications") as batch_op:
        batch_op.drop_column("imported")
        batch_op.drop_column("imported_at")
        batch_op.drop_column("imported_from")
