"""authorisation life

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 13:38:29.312202
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cancellations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("cancelled_by_id", sa.Integer(), nullable=False),
        sa.Column("cancelled_by_name", sa.String(length=200), nullable=False),
        sa.Column("cancelled_by_grade", sa.String(length=200), nullable=False),
        sa.Column("cancelled_on", sa.Date(), nullable=False),
        sa.Column("stop_instructed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("obtained", sa.Text(), nullable=False),
        sa.Column("handling", sa.Text(), nullable=False),
        sa.Column("after_lapse", sa.Boolean(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_cancellations_application_id_applications"),
        ),
        sa.ForeignKeyConstraint(
            ["cancelled_by_id"], ["users.id"], name=op.f("fk_cancellations_cancelled_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cancellations")),
        sa.UniqueConstraint("application_id", name=op.f("uq_cancellations_application_id")),
    )
    op.create_table(
        "renewals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("obtained_so_far", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "requested",
                "refused",
                "awaiting_court",
                "approved",
                "court_refused",
                "quashed",
                "withdrawn",
                name="renewal_status",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_renewals_application_id_applications"),
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"], ["users.id"], name=op.f("fk_renewals_requested_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_renewals")),
    )
    with op.batch_alter_table("renewals", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_renewals_application_id"), ["application_id"], unique=False
        )

    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("reviewed_by_id", sa.Integer(), nullable=False),
        sa.Column("reviewed_by_name", sa.String(length=200), nullable=False),
        sa.Column("reviewed_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column(
            "outcome",
            sa.Enum("continue", "cancel", name="review_outcome", native_enum=False, length=40),
            nullable=False,
        ),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("next_interval_days", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_reviews_application_id_applications"),
        ),
        sa.ForeignKeyConstraint(
            ["reviewed_by_id"], ["users.id"], name=op.f("fk_reviews_reviewed_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reviews")),
    )
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_reviews_application_id"), ["application_id"], unique=False
        )

    op.create_table(
        "authorising_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("renewal_id", sa.Integer(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=False),
        sa.Column("decided_by_name", sa.String(length=200), nullable=False),
        sa.Column("decided_by_grade", sa.String(length=200), nullable=False),
        sa.Column(
            "decision",
            sa.Enum(
                "approved", "refused", "returned", name="decision", native_enum=False, length=40
            ),
            nullable=False,
        ),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("what_authorised", sa.Text(), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("review_interval_days", sa.Integer(), nullable=True),
        sa.Column("directly_involved", sa.Boolean(), nullable=False),
        sa.Column("directly_involved_reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_authorising_decisions_application_id_applications"),
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["users.id"],
            name=op.f("fk_authorising_decisions_decided_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["renewal_id"],
            ["renewals.id"],
            name=op.f("fk_authorising_decisions_renewal_id_renewals"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_authorising_decisions")),
    )
    with op.batch_alter_table("authorising_decisions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_authorising_decisions_application_id"), ["application_id"], unique=False
        )

    op.create_table(
        "court_hearings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("renewal_id", sa.Integer(), nullable=True),
        sa.Column("court", sa.String(length=200), nullable=False),
        sa.Column("hearing_date", sa.Date(), nullable=False),
        sa.Column("magistrate", sa.String(length=200), nullable=False),
        sa.Column(
            "outcome",
            sa.Enum(
                "approved", "refused", "quashed", name="court_outcome", native_enum=False, length=40
            ),
            nullable=False,
        ),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_court_hearings_application_id_applications"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_court_hearings_recorded_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["renewal_id"], ["renewals.id"], name=op.f("fk_court_hearings_renewal_id_renewals")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_court_hearings")),
    )
    with op.batch_alter_table("court_hearings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_court_hearings_application_id"), ["application_id"], unique=False
        )

    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("takes_effect", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("last_day", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("review_interval_days", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("authorised_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("directly_involved", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("cancelled_on", sa.Date(), nullable=True))
        batch_op.create_index(batch_op.f("ix_applications_last_day"), ["last_day"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_applications_authorised_by_id_users"),
            "users",
            ["authorised_by_id"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_applications_authorised_by_id_users"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_applications_last_day"))
        batch_op.drop_column("cancelled_on")
        batch_op.drop_column("directly_involved")
        batch_op.drop_column("authorised_by_id")
        batch_op.drop_column("review_interval_days")
        batch_op.drop_column("last_day")
        batch_op.drop_column("takes_effect")

    with op.batch_alter_table("court_hearings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_court_hearings_application_id"))

    op.drop_table("court_hearings")
    with op.batch_alter_table("authorising_decisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_authorising_decisions_application_id"))

    op.drop_table("authorising_decisions")
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reviews_application_id"))

    op.drop_table("reviews")
    with op.batch_alter_table("renewals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_renewals_application_id"))

    op.drop_table("renewals")
    op.drop_table("cancellations")
