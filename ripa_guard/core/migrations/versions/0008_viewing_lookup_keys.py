"""keys by which a viewing finds its investigation, authorisations and tied profiles

Logging a viewing read every application and every subject to compare normalised references
and profile addresses in Python: 70 seconds a viewing at 100,000 applications (BENCHMARKS.md).
The normalised forms are now kept in indexed columns and rows, filled here for existing data.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

BATCH = 2000


def upgrade() -> None:
    with op.batch_alter_table("applications") as batch_op:
        batch_op.add_column(
            sa.Column("investigation_key", sa.String(length=100), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("urn_key", sa.String(length=40), nullable=False, server_default="")
        )
        batch_op.create_index("ix_applications_investigation_key", ["investigation_key"])
        batch_op.create_index("ix_applications_urn_key", ["urn_key"])
    op.create_table(
        "subject_identities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("identity", sa.String(length=400), nullable=False),
        sa.ForeignKeyConstraint(
            ["subject_id"],
            ["subjects.id"],
            name=op.f("fk_subject_identities_subject_id_subjects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subject_identities")),
    )
    op.create_index("ix_subject_identities_identity", "subject_identities", ["identity"])
    op.create_index("ix_subject_identities_subject_id", "subject_identities", ["subject_id"])
    _fill(op.get_bind())


def _fill(bind) -> None:
    # The same functions the models use, so old rows are keyed exactly as new ones are.
    from ripa_guard.law.profile_identity import profile_identities
    from ripa_guard.law.viewing_rules import reference_key

    applications = sa.table(
        "applications",
        sa.column("id"),
        sa.column("urn"),
        sa.column("case_reference"),
        sa.column("investigation_key"),
        sa.column("urn_key"),
    )
    rows = bind.execute(
        sa.select(applications.c.id, applications.c.urn, applications.c.case_reference)
    ).all()
    updates = []
    for id_, urn, case_reference in rows:
        urn_key = reference_key(urn or "")[:40]
        key = (reference_key(case_reference or "") or urn_key)[:100]
        updates.append({"row_id": id_, "investigation_key": key, "urn_key": urn_key})
    statement = (
        applications.update()
        .where(applications.c.id == sa.bindparam("row_id"))
        .values(
            investigation_key=sa.bindparam("investigation_key"), urn_key=sa.bindparam("urn_key")
        )
    )
    for i in range(0, len(updates), BATCH):
        bind.execute(statement, updates[i : i + BATCH])

    subjects = sa.table("subjects", sa.column("id"), sa.column("profiles", sa.JSON))
    identities = sa.table("subject_identities", sa.column("subject_id"), sa.column("identity"))
    found = [
        {"subject_id": id_, "identity": text}
        for id_, profiles in bind.execute(sa.select(subjects.c.id, subjects.c.profiles))
        for text in profile_identities(profiles)
    ]
    for i in range(0, len(found), BATCH):
        bind.execute(identities.insert(), found[i : i + BATCH])


def downgrade() -> None:
    op.drop_index("ix_subject_identities_subject_id", table_name="subject_identities")
    op.drop_index("ix_subject_identities_identity", table_name="subject_identities")
    op.drop_table("subject_identities")
    with op.batch_alter_table("applications") as batch_op:
        batch_op.drop_index("ix_applications_urn_key")
        batch_op.drop_index("ix_applications_investigation_key")
        batch_op.drop_column("urn_key")
        batch_op.drop_column("investigation_key")
