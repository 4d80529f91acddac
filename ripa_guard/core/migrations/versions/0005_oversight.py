"""oversight: training, the non-RIPA register, relevant errors, policy reviews, inspections

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "inspection_recommendations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inspection_date", sa.Date(), nullable=False),
        sa.Column("inspector", sa.String(length=200), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
            name=op.f("fk_inspection_recommendations_recorded_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_recommendations")),
    )
    with op.batch_alter_table("inspection_recommendations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_inspection_recommendations_inspection_date"),
            ["inspection_date"],
            unique=False,
        )

    op.create_table(
        "policy_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reviewed_on", sa.Date(), nullable=False),
        sa.Column("reviewed_by", sa.String(length=200), nullable=False),
        sa.Column("by_members", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_policy_reviews_recorded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_policy_reviews")),
    )
    with op.batch_alter_table("policy_reviews", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_policy_reviews_reviewed_on"), ["reviewed_on"], unique=False
        )

    op.create_table(
        "training_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("trained_on", sa.Date(), nullable=False),
        sa.Column("course", sa.String(length=200), nullable=False),
        sa.Column("provider", sa.String(length=200), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_training_records_recorded_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_training_records_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_records")),
    )
    with op.batch_alter_table("training_records", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_training_records_user_id"), ["user_id"], unique=False)

    op.create_table(
        "non_ripa_activities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=40), nullable=False),
        sa.Column("triage_id", sa.Integer(), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("subjects", sa.Text(), nullable=False),
        sa.Column("activity", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "awaiting_approval",
                "approved",
                "refused",
                "closed",
                name="non_ripa_status",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("review_interval_days", sa.Integer(), nullable=True),
        sa.Column("approved_on", sa.Date(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["officer_id"], ["users.id"], name=op.f("fk_non_ripa_activities_officer_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["triage_id"], ["triages.id"], name=op.f("fk_non_ripa_activities_triage_id_triages")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_non_ripa_activities")),
        sa.UniqueConstraint("reference", name=op.f("uq_non_ripa_activities_reference")),
        sa.UniqueConstraint("triage_id", name=op.f("uq_non_ripa_activities_triage_id")),
    )
    with op.batch_alter_table("non_ripa_activities", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_non_ripa_activities_officer_id"), ["officer_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_non_ripa_activities_status"), ["status"], unique=False)

    op.create_table(
        "recommendation_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recommendation_id", sa.Integer(), nullable=False),
        sa.Column("action_taken", sa.Text(), nullable=False),
        sa.Column(
            "rag",
            sa.Enum("red", "amber", "green", name="rag", native_enum=False, length=40),
            nullable=False,
        ),
        sa.Column("written_on", sa.Date(), nullable=False),
        sa.Column("written_by_id", sa.Integer(), nullable=False),
        sa.Column("written_by_name", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["recommendation_id"],
            ["inspection_recommendations.id"],
            name=op.f("fk_recommendation_actions_recommendation_id_inspection_recommendations"),
        ),
        sa.ForeignKeyConstraint(
            ["written_by_id"],
            ["users.id"],
            name=op.f("fk_recommendation_actions_written_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recommendation_actions")),
    )
    with op.batch_alter_table("recommendation_actions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_recommendation_actions_recommendation_id"),
            ["recommendation_id"],
            unique=False,
        )

    op.create_table(
        "non_ripa_assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("written_by_id", sa.Integer(), nullable=False),
        sa.Column("written_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("necessity", sa.Text(), nullable=False),
        sa.Column("proportionality", sa.Text(), nullable=False),
        sa.Column("collateral_intrusion", sa.Text(), nullable=False),
        sa.Column("alternatives", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["non_ripa_activities.id"],
            name=op.f("fk_non_ripa_assessments_activity_id_non_ripa_activities"),
        ),
        sa.ForeignKeyConstraint(
            ["written_by_id"],
            ["users.id"],
            name=op.f("fk_non_ripa_assessments_written_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_non_ripa_assessments")),
    )
    with op.batch_alter_table("non_ripa_assessments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_non_ripa_assessments_activity_id"), ["activity_id"], unique=False
        )

    op.create_table(
        "non_ripa_closures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("closed_by_id", sa.Integer(), nullable=False),
        sa.Column("closed_by_name", sa.String(length=200), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("handling", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["non_ripa_activities.id"],
            name=op.f("fk_non_ripa_closures_activity_id_non_ripa_activities"),
        ),
        sa.ForeignKeyConstraint(
            ["closed_by_id"], ["users.id"], name=op.f("fk_non_ripa_closures_closed_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_non_ripa_closures")),
        sa.UniqueConstraint("activity_id", name=op.f("uq_non_ripa_closures_activity_id")),
    )
    op.create_table(
        "non_ripa_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=False),
        sa.Column("decided_by_name", sa.String(length=200), nullable=False),
        sa.Column("decided_by_grade", sa.String(length=200), nullable=False),
        sa.Column("approved", sa.Boolean(), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("review_interval_days", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["non_ripa_activities.id"],
            name=op.f("fk_non_ripa_decisions_activity_id_non_ripa_activities"),
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["users.id"], name=op.f("fk_non_ripa_decisions_decided_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_non_ripa_decisions")),
    )
    with op.batch_alter_table("non_ripa_decisions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_non_ripa_decisions_activity_id"), ["activity_id"], unique=False
        )

    op.create_table(
        "non_ripa_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("reviewed_by_id", sa.Integer(), nullable=False),
        sa.Column("reviewed_by_name", sa.String(length=200), nullable=False),
        sa.Column("reviewed_on", sa.Date(), nullable=False),
        sa.Column("continues", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["non_ripa_activities.id"],
            name=op.f("fk_non_ripa_reviews_activity_id_non_ripa_activities"),
        ),
        sa.ForeignKeyConstraint(
            ["reviewed_by_id"], ["users.id"], name=op.f("fk_non_ripa_reviews_reviewed_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_non_ripa_reviews")),
    )
    with op.batch_alter_table("non_ripa_reviews", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_non_ripa_reviews_activity_id"), ["activity_id"], unique=False
        )

    op.create_table(
        "relevant_errors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "no_authorisation",
                "after_expiry",
                "outside_terms",
                "lapsed",
                "wrong_date",
                "other",
                name="error_kind",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("proposed_by_ripa_guard", sa.Boolean(), nullable=False),
        sa.Column("proposal_key", sa.String(length=200), nullable=True),
        sa.Column("application_id", sa.Integer(), nullable=True),
        sa.Column("reference", sa.String(length=40), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=True),
        sa.Column("found_on", sa.Date(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_relevant_errors_application_id_applications"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_relevant_errors_created_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_relevant_errors")),
        sa.UniqueConstraint("proposal_key", name=op.f("uq_relevant_errors_proposal_key")),
    )
    with op.batch_alter_table("relevant_errors", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_relevant_errors_application_id"), ["application_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_relevant_errors_found_on"), ["found_on"], unique=False)

    op.create_table(
        "error_accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("error_id", sa.Integer(), nullable=False),
        sa.Column("dismissed", sa.Boolean(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "no_authorisation",
                "after_expiry",
                "outside_terms",
                "lapsed",
                "wrong_date",
                "other",
                name="error_kind",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("what_happened", sa.Text(), nullable=False),
        sa.Column("cause", sa.Text(), nullable=False),
        sa.Column("action_taken", sa.Text(), nullable=False),
        sa.Column("reported_to_ipco_on", sa.Date(), nullable=True),
        sa.Column("written_by_id", sa.Integer(), nullable=False),
        sa.Column("written_by_name", sa.String(length=200), nullable=False),
        sa.Column("written_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["error_id"],
            ["relevant_errors.id"],
            name=op.f("fk_error_accounts_error_id_relevant_errors"),
        ),
        sa.ForeignKeyConstraint(
            ["written_by_id"], ["users.id"], name=op.f("fk_error_accounts_written_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_error_accounts")),
    )
    with op.batch_alter_table("error_accounts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_error_accounts_error_id"), ["error_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("error_accounts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_error_accounts_error_id"))

    op.drop_table("error_accounts")
    with op.batch_alter_table("relevant_errors", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_relevant_errors_found_on"))
        batch_op.drop_index(batch_op.f("ix_relevant_errors_application_id"))

    op.drop_table("relevant_errors")
    with op.batch_alter_table("non_ripa_reviews", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_non_ripa_reviews_activity_id"))

    op.drop_table("non_ripa_reviews")
    with op.batch_alter_table("non_ripa_decisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_non_ripa_decisions_activity_id"))

    op.drop_table("non_ripa_decisions")
    op.drop_table("non_ripa_closures")
    with op.batch_alter_table("non_ripa_assessments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_non_ripa_assessments_activity_id"))

    op.drop_table("non_ripa_assessments")
    with op.batch_alter_table("recommendation_actions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recommendation_actions_recommendation_id"))

    op.drop_table("recommendation_actions")
    with op.batch_alter_table("non_ripa_activities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_non_ripa_activities_status"))
        batch_op.drop_index(batch_op.f("ix_non_ripa_activities_officer_id"))

    op.drop_table("non_ripa_activities")
    with op.batch_alter_table("training_records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_training_records_user_id"))

    op.drop_table("training_records")
    with op.batch_alter_table("policy_reviews", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_policy_reviews_reviewed_on"))

    op.drop_table("policy_reviews")
    with op.batch_alter_table("inspection_recommendations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inspection_recommendations_inspection_date"))

    op.drop_table("inspection_recommendations")
