"""forum: indexes for the thread page (a page of top-level replies, the first unread post)

Without (thread_id, id) PostgreSQL answered "the first unread post of this thread" by
walking the primary key from the reader's position to the end of the table.

Revision ID: 0042
Revises: 0041
Create Date: 2026-12-02

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = "0042"
down_revision = "0041"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_posts_thread_id_depth_id", "posts", ["thread_id", "depth", "id"])
    op.create_index("ix_posts_thread_id_id", "posts", ["thread_id", "id"])


def downgrade():
    op.drop_index("ix_posts_thread_id_id", table_name="posts")
    op.drop_index("ix_posts_thread_id_depth_id", table_name="posts")
