"""viewing log: research profiles, investigations, viewings, stopped attempts, API tokens

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 14:11:57.905004
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["revoked_by_id"], ["users.id"], name=op.f("fk_api_tokens_revoked_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_api_tokens_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_tokens_token_hash")),
    )
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_tokens_user_id"), ["user_id"], unique=False)

    op.create_table(
        "investigations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("requests", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_investigations_created_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_investigations")),
        sa.UniqueConstraint("key", name=op.f("uq_investigations_key")),
    )
    op.create_table(
        "research_profiles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=40), nullable=False),
        sa.Column("handle", sa.String(length=200), nullable=False),
        sa.Column("covert", sa.Boolean(), nullable=False),
        sa.Column("created_on", sa.Date(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("registered_by_id", sa.Integer(), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retired_on", sa.Date(), nullable=True),
        sa.Column("retired_by_id", sa.Integer(), nullable=True),
        sa.Column("retirement_reason", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["registered_by_id"],
            ["users.id"],
            name=op.f("fk_research_profiles_registered_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["retired_by_id"], ["users.id"], name=op.f("fk_research_profiles_retired_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_research_profiles")),
    )
    op.create_table(
        "research_profile_users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("research_profile_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("added_by_id", sa.Integer(), nullable=False),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("removed_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["added_by_id"], ["users.id"], name=op.f("fk_research_profile_users_added_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["removed_by_id"],
            ["users.id"],
            name=op.f("fk_research_profile_users_removed_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["research_profile_id"],
            ["research_profiles.id"],
            name=op.f("fk_research_profile_users_research_profile_id_research_profiles"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_research_profile_users_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_research_profile_users")),
    )
    with op.batch_alter_table("research_profile_users", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_research_profile_users_research_profile_id"),
            ["research_profile_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_research_profile_users_user_id"), ["user_id"], unique=False
        )

    op.create_table(
        "viewing_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("attempted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=False),
        sa.Column("officer_name", sa.String(length=200), nullable=False),
        sa.Column("officer_service", sa.String(length=200), nullable=False),
        sa.Column("research_profile_id", sa.Integer(), nullable=True),
        sa.Column("investigation_id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("platform", sa.String(length=200), nullable=False),
        sa.Column("identity", sa.String(length=400), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("subject_key", sa.String(length=200), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column(
            "outcome",
            sa.Enum("blocked", "refused", name="viewing_stop", native_enum=False, length=40),
            nullable=False,
        ),
        sa.Column("refusal", sa.String(length=40), nullable=True),
        sa.Column("application_id", sa.Integer(), nullable=True),
        sa.Column("urn", sa.String(length=40), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("citation", sa.Text(), nullable=False),
        sa.Column("earlier_viewing_ids", sa.JSON(), nullable=False),
        sa.Column(
            "channel",
            sa.Enum("web", "api", name="viewing_channel", native_enum=False, length=40),
            nullable=False,
        ),
        sa.Column("api_token_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["api_token_id"],
            ["api_tokens.id"],
            name=op.f("fk_viewing_attempts_api_token_id_api_tokens"),
        ),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_viewing_attempts_application_id_applications"),
        ),
        sa.ForeignKeyConstraint(
            ["investigation_id"],
            ["investigations.id"],
            name=op.f("fk_viewing_attempts_investigation_id_investigations"),
        ),
        sa.ForeignKeyConstraint(
            ["officer_id"], ["users.id"], name=op.f("fk_viewing_attempts_officer_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["research_profile_id"],
            ["research_profiles.id"],
            name=op.f("fk_viewing_attempts_research_profile_id_research_profiles"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_viewing_attempts")),
    )
    with op.batch_alter_table("viewing_attempts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_viewing_attempts_application_id"), ["application_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_viewing_attempts_attempted_at"), ["attempted_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_viewing_attempts_identity"), ["identity"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_viewing_attempts_investigation_id"), ["investigation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_viewing_attempts_officer_id"), ["officer_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_viewing_attempts_outcome"), ["outcome"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_viewing_attempts_subject_key"), ["subject_key"], unique=False
        )

    op.create_table(
        "viewings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("viewed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=False),
        sa.Column("officer_name", sa.String(length=200), nullable=False),
        sa.Column("officer_service", sa.String(length=200), nullable=False),
        sa.Column("research_profile_id", sa.Integer(), nullable=False),
        sa.Column("investigation_id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("platform", sa.String(length=200), nullable=False),
        sa.Column("identity", sa.String(length=400), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("subject_key", sa.String(length=200), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("captured", sa.Boolean(), nullable=False),
        sa.Column("capture_location", sa.Text(), nullable=False),
        sa.Column(
            "basis",
            sa.Enum(
                "initial_research", "authorised", name="viewing_basis", native_enum=False, length=40
            ),
            nullable=False,
        ),
        sa.Column("application_id", sa.Integer(), nullable=True),
        sa.Column("urn", sa.String(length=40), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("citation", sa.Text(), nullable=False),
        sa.Column(
            "channel",
            sa.Enum("web", "api", name="viewing_channel", native_enum=False, length=40),
            nullable=False,
        ),
        sa.Column("api_token_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["api_token_id"], ["api_tokens.id"], name=op.f("fk_viewings_api_token_id_api_tokens")
        ),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_viewings_application_id_applications"),
        ),
        sa.ForeignKeyConstraint(
            ["investigation_id"],
            ["investigations.id"],
            name=op.f("fk_viewings_investigation_id_investigations"),
        ),
        sa.ForeignKeyConstraint(
            ["officer_id"], ["users.id"], name=op.f("fk_viewings_officer_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["research_profile_id"],
            ["research_profiles.id"],
            name=op.f("fk_viewings_research_profile_id_research_profiles"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_viewings")),
    )
    with op.batch_alter_table("viewings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_viewings_application_id"), ["application_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_viewings_identity"), ["identity"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_viewings_investigation_id"), ["investigation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_viewings_officer_id"), ["officer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_viewings_subject_key"), ["subject_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_viewings_viewed_at"), ["viewed_at"], unique=False)

    op.create_table(
        "viewing_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("viewing_id", sa.Integer(), nullable=False),
        sa.Column("written_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("written_by_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["viewing_id"], ["viewings.id"], name=op.f("fk_viewing_notes_viewing_id_viewings")
        ),
        sa.ForeignKeyConstraint(
            ["written_by_id"], ["users.id"], name=op.f("fk_viewing_notes_written_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_viewing_notes")),
    )
    with op.batch_alter_table("viewing_notes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_viewing_notes_viewing_id"), ["viewing_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("viewing_notes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_viewing_notes_viewing_id"))

    op.drop_table("viewing_notes")
    with op.batch_alter_table("viewings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_viewings_viewed_at"))
        batch_op.drop_index(batch_op.f("ix_viewings_subject_key"))
        batch_op.drop_index(batch_op.f("ix_viewings_officer_id"))
        batch_op.drop_index(batch_op.f("ix_viewings_investigation_id"))
        batch_op.drop_index(batch_op.f("ix_viewings_identity"))
        batch_op.drop_index(batch_op.f("ix_viewings_application_id"))

    op.drop_table("viewings")
    with op.batch_alter_table("viewing_attempts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_viewing_attempts_subject_key"))
        batch_op.drop_index(batch_op.f("ix_viewing_attempts_outcome"))
        batch_op.drop_index(batch_op.f("ix_viewing_attempts_officer_id"))
        batch_op.drop_index(batch_op.f("ix_viewing_attempts_investigation_id"))
        batch_op.drop_index(batch_op.f("ix_viewing_attempts_identity"))
        batch_op.drop_index(batch_op.f("ix_viewing_attempts_attempted_at"))
        batch_op.drop_index(batch_op.f("ix_viewing_attempts_application_id"))

    op.drop_table("viewing_attempts")
    with op.batch_alter_table("research_profile_users", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_research_profile_users_user_id"))
        batch_op.drop_index(batch_op.f("ix_research_profile_users_research_profile_id"))

    op.drop_table("research_profile_users")
    op.drop_table("research_profiles")
    op.drop_table("investigations")
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_tokens_user_id"))

    op.drop_table("api_tokens")
