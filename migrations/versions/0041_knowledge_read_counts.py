"""knowledge: read counts per item, region and day (an aggregate, no member ids)

Revision ID: 0041
Revises: 0022
Create Date: 2026-12-02

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0041'
down_revision = "0040"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('knowledge_read_counts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.CheckConstraint('count >= 0', name=op.f('ck_knowledge_read_counts_count_not_negative')),
    sa.ForeignKeyConstraint(['item_id'], ['knowledge_items.id'], name=op.f('fk_knowledge_read_counts_item_id_knowledge_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_knowledge_read_counts_region_id_regions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_knowledge_read_counts')),
    sa.UniqueConstraint('item_id', 'region_id', 'day', name=op.f('uq_knowledge_read_counts_item_id_region_id_day'))
    )


def downgrade():
    op.drop_table('knowledge_read_counts')
