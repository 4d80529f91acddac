"""The captured material register (issue 16, item 2): captures, with their SHA-256 and dates;
reviews of their retention and their destruction, each a new row.

Revision ID: 0025
Revises: 0024
"""

import sqlalchemy as sa
from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None


def _enum(*values: str, name: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=40)


def upgrade() -> None:
    op.create_table(
        "captures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("viewing_id", sa.Integer(), nullable=False),
        sa.Column("investigation_id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column(
            "kind",
            _enum("screenshot", "pdf", "video", "html", "other", name="capture_kind"),
            nullable=False,
        ),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("captured_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("channel", _enum("web", "api", name="viewing_channel"), nullable=False),
        sa.Column("on_server", sa.Boolean(), nullable=False),
        sa.Column("kept_at", sa.Text(), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=True),
        sa.Column("media_type", sa.String(length=200), nullable=False),
        sa.Column("review_on", sa.Date(), nullable=False),
        sa.Column("destroy_by", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["viewing_id"], ["viewings.id"], name=op.f("fk_captures_viewing_id_viewings")
        ),
        sa.ForeignKeyConstraint(
            ["investigation_id"],
            ["investigations.id"],
            name=op.f("fk_captures_investigation_id_investigations"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_captures_recorded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_captures")),
        sa.UniqueConstraint("viewing_id", "sha256", name="uq_captures_viewing_sha256"),
    )
    op.create_index(op.f("ix_captures_viewing_id"), "captures", ["viewing_id"])
    op.create_index(op.f("ix_captures_investigation_id"), "captures", ["investigation_id"])
    op.create_index(op.f("ix_captures_sha256"), "captures", ["sha256"])
    op.create_table(
        "capture_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("capture_id", sa.Integer(), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reviewed_by_id", sa.Integer(), nullable=False),
        sa.Column("result", _enum("keep", "destroy", name="capture_review_result"), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("review_on", sa.Date(), nullable=True),
        sa.Column("destroy_by", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["capture_id"], ["captures.id"], name=op.f("fk_capture_reviews_capture_id_captures")
        ),
        sa.ForeignKeyConstraint(
            ["reviewed_by_id"], ["users.id"], name=op.f("fk_capture_reviews_reviewed_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_capture_reviews")),
    )
    op.create_index(op.f("ix_capture_reviews_capture_id"), "capture_reviews", ["capture_id"])
    op.create_table(
        "capture_destructions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("capture_id", sa.Integer(), nullable=False),
        sa.Column("destroyed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("destroyed_by_id", sa.Integer(), nullable=False),
        sa.Column("method", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["capture_id"],
            ["captures.id"],
            name=op.f("fk_capture_destructions_capture_id_captures"),
        ),
        sa.ForeignKeyConstraint(
            ["destroyed_by_id"],
            ["users.id"],
            name=op.f("fk_capture_destructions_destroyed_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_capture_destructions")),
        sa.UniqueConstraint("capture_id", name=op.f("uq_capture_destructions_capture_id")),
    )


def downgrade() -> None:
    op.drop_table("capture_destructions")
    op.drop_index(op.f("ix_capture_reviews_capture_id"), table_name="capture_reviews")
    op.drop_table("capture_reviews")
    op.drop_index(op.f("ix_captures_sha256"), table_name="captures")
    op.drop_index(op.f("ix_captures_investigation_id"), table_name="captures")
    op.drop_index(op.f("ix_captures_viewing_id"), table_name="captures")
    op.drop_table("captures")
