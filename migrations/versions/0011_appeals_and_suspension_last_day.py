"""appeals against moderation decisions; the last day of a suspension as chosen

Revision ID: 0011
Revises: 0003
Create Date: 2026-12-02

"""

import sqlalchemy as sa
from alembic import op

import core.db

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("suspended_through", sa.Date(), nullable=True))
    op.create_table(
        "appeals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.Column("appellant_id", sa.Integer(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("statement", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("handled_by_id", sa.Integer(), nullable=True),
        sa.Column("handled_at", core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("outcome_note", sa.Text(), nullable=False),
        sa.Column("created_at", core.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('open', 'upheld', 'reversed')", name=op.f("ck_appeals_status_known")
        ),
        sa.CheckConstraint(
            "handled_by_id IS NULL OR decided_by_id IS NULL OR handled_by_id <> decided_by_id",
            name=op.f("ck_appeals_another_moderator"),
        ),
        sa.ForeignKeyConstraint(
            ["decision_id"], ["audit_events.id"],
            name=op.f("fk_appeals_decision_id_audit_events"), ondelete="CASCADE",
        ),  # fmt: skip
        sa.ForeignKeyConstraint(
            ["appellant_id"], ["users.id"],
            name=op.f("fk_appeals_appellant_id_users"), ondelete="SET NULL",
        ),  # fmt: skip
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["users.id"],
            name=op.f("fk_appeals_decided_by_id_users"), ondelete="SET NULL",
        ),  # fmt: skip
        sa.ForeignKeyConstraint(
            ["handled_by_id"], ["users.id"],
            name=op.f("fk_appeals_handled_by_id_users"), ondelete="SET NULL",
        ),  # fmt: skip
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appeals")),
        sa.UniqueConstraint("decision_id", name=op.f("uq_appeals_decision_id")),
    )
    with op.batch_alter_table("appeals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_appeals_appellant_id"), ["appellant_id"])
        batch_op.create_index("ix_appeals_status_created_at", ["status", "created_at"])


def downgrade():
    with op.batch_alter_table("appeals", schema=None) as batch_op:
        batch_op.drop_index("ix_appeals_status_created_at")
        batch_op.drop_index(batch_op.f("ix_appeals_appellant_id"))
    op.drop_table("appeals")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("suspended_through")
