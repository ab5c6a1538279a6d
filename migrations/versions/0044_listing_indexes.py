"""forum, groups: indexes for the dashboard and a group's page

- threads (group_id, is_pinned, last_activity_at, id) for visible threads only: a group's
  page reads its 20 threads in order from the index instead of sorting all of them, and
  the visible threads of a group (its page count, unread counts) are counted from the
  index alone.
- threads (kind, created_at): the dashboard's open questions, newest first, without
  reading every thread.
- memberships (group_id, status, role, user_id) replaces (group_id, status): a group's
  coordinators without reading every membership, and its members' user ids (the sector
  overview) from the index alone.

Revision ID: 0044
Revises: 0042
Create Date: 2026-12-02

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = "0044"
down_revision = "0042"
branch_labels = None
depends_on = None

VISIBLE = "hidden_at IS NULL AND deleted_at IS NULL"


def upgrade():
    op.create_index(
        "ix_threads_visible_group_listing",
        "threads",
        ["group_id", "is_pinned", "last_activity_at", "id"],
        postgresql_where=sa.text(VISIBLE),
        sqlite_where=sa.text(VISIBLE),
    )
    op.create_index("ix_threads_kind_created_at", "threads", ["kind", "created_at"])
    op.create_index(
        "ix_memberships_group_id_status_role_user_id",
        "memberships",
        ["group_id", "status", "role", "user_id"],
    )
    op.drop_index("ix_memberships_group_id_status", table_name="memberships")


def downgrade():
    op.create_index("ix_memberships_group_id_status", "memberships", ["group_id", "status"])
    op.drop_index("ix_memberships_group_id_status_role_user_id", table_name="memberships")
    op.drop_index("ix_threads_kind_created_at", table_name="threads")
    op.drop_index("ix_threads_visible_group_listing", table_name="threads")
