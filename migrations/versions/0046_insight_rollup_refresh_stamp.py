"""insight: the stamp of the last rollup refresh (the key of the region page's cache)

Revision ID: 0046
Revises: 0044
Create Date: 2026-12-02

"""

from alembic import op
import sqlalchemy as sa

import core.db


# revision identifiers, used by Alembic.
revision = "0046"
down_revision = "0044"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "insight_rollup_refreshes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stamp", sa.String(length=32), nullable=False),
        sa.Column("refreshed_at", core.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_insight_rollup_refreshes")),
    )


def downgrade():
    op.drop_table("insight_rollup_refreshes")
