"""insight: signals, rollup tables, quarterly email subscriptions

Revision ID: 0022
Revises: 0003
Create Date: 2026-12-02 14:36:45.104149

"""
from alembic import op
import sqlalchemy as sa

import core.db


# revision identifiers, used by Alembic.
revision = '0022'
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('insight_member_counts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('sector_id', sa.Integer(), nullable=False),
    sa.Column('members', sa.Integer(), nullable=False),
    sa.Column('active_members', sa.Integer(), nullable=False),
    sa.Column('refreshed_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_insight_member_counts_region_id_regions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_insight_member_counts')),
    sa.UniqueConstraint('region_id', 'sector_id', name=op.f('uq_insight_member_counts_region_id_sector_id'))
    )
    op.create_table('insight_rollups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Integer(), nullable=False),
    sa.Column('metric', sa.String(length=40), nullable=False),
    sa.Column('key_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.CheckConstraint('value >= 0', name=op.f('ck_insight_rollups_value_not_negative')),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_insight_rollups_region_id_regions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_insight_rollups')),
    sa.UniqueConstraint('region_id', 'metric', 'month', 'key_id', name=op.f('uq_insight_rollups_region_id_metric_month_key_id'))
    )
    op.create_table('insight_subscriptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_insight_subscriptions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_insight_subscriptions')),
    sa.UniqueConstraint('user_id', name=op.f('uq_insight_subscriptions_user_id'))
    )
    op.create_table('insight_signals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('thread_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=False),
    sa.Column('created_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_insight_signals_region_id_regions')),
    sa.ForeignKeyConstraint(['thread_id'], ['threads.id'], name=op.f('fk_insight_signals_thread_id_threads'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_insight_signals_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_insight_signals')),
    sa.UniqueConstraint('thread_id', 'user_id', name=op.f('uq_insight_signals_thread_id_user_id'))
    )
    with op.batch_alter_table('insight_signals', schema=None) as batch_op:
        batch_op.create_index('ix_insight_signals_region_id_created_at', ['region_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_insight_signals_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('insight_signals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_insight_signals_user_id'))
        batch_op.drop_index('ix_insight_signals_region_id_created_at')

    op.drop_table('insight_signals')
    op.drop_table('insight_subscriptions')
    op.drop_table('insight_rollups')
    op.drop_table('insight_member_counts')
