"""index posts.parent_id (the reply tree is walked by parent)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28

"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_posts_parent_id"), ["parent_id"], unique=False)


def downgrade():
    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_posts_parent_id"))
