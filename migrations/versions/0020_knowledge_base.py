"""kennisbank: items, versions, slug redirects, references, consents, followed themes

Revision ID: 0020
Revises: 0003
Create Date: 2026-12-02

"""

import sqlalchemy as sa
from alembic import op

import core.db

revision = '0020'
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('knowledge_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('body_source', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('is_members_only', sa.Boolean(), nullable=False),
    sa.Column('evidence_level', sa.String(length=30), nullable=True),
    sa.Column('approach', sa.String(length=40), nullable=True),
    sa.Column('age_min', sa.Integer(), nullable=True),
    sa.Column('age_max', sa.Integer(), nullable=True),
    sa.Column('goal', sa.Text(), nullable=False),
    sa.Column('target_group', sa.Text(), nullable=False),
    sa.Column('method', sa.Text(), nullable=False),
    sa.Column('rationale', sa.Text(), nullable=False),
    sa.Column('delivery', sa.Text(), nullable=False),
    sa.Column('provider', sa.Text(), nullable=False),
    sa.Column('costs', sa.Text(), nullable=False),
    sa.Column('sources', sa.Text(), nullable=False),
    sa.Column('privacy_override', sa.Boolean(), nullable=False),
    sa.Column('source_thread_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('published_at', core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_reviewed_on', sa.Date(), nullable=True),
    sa.CheckConstraint("approach IS NULL OR approach IN ('training-professionals', 'gezinsondersteuning', 'jongerenwerk-onderwijs', 'exit', 'gemeenschap', 'communicatie-narratieven', 'ggz')", name=op.f('ck_knowledge_items_approach')),
    sa.CheckConstraint("evidence_level IS NULL OR evidence_level IN ('goed-beschreven', 'goed-onderbouwd', 'effectief-eerste', 'effectief-goede', 'effectief-sterke', 'niet-beoordeeld')", name=op.f('ck_knowledge_items_evidence_level')),
    sa.CheckConstraint("kind IN ('interventie', 'handreiking', 'achtergrond', 'faq', 'instrument')", name=op.f('ck_knowledge_items_kind')),
    sa.CheckConstraint("status IN ('draft', 'review', 'published', 'archived')", name=op.f('ck_knowledge_items_status')),
    sa.CheckConstraint("status NOT IN ('published', 'archived') OR published_at IS NOT NULL", name=op.f('ck_knowledge_items_published_at')),
    sa.CheckConstraint('age_min IS NULL OR age_max IS NULL OR age_min <= age_max', name=op.f('ck_knowledge_items_age_range')),
    sa.ForeignKeyConstraint(['changed_by_id'], ['users.id'], name=op.f('fk_knowledge_items_changed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_knowledge_items_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['published_by_id'], ['users.id'], name=op.f('fk_knowledge_items_published_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_knowledge_items')),
    sa.UniqueConstraint('slug', name=op.f('uq_knowledge_items_slug'))
    )
    with op.batch_alter_table('knowledge_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_knowledge_items_evidence_level'), ['evidence_level'], unique=False)
        batch_op.create_index(batch_op.f('ix_knowledge_items_published_at'), ['published_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_knowledge_items_status'), ['status'], unique=False)
        batch_op.create_index('ix_knowledge_items_status_published_at', ['status', 'published_at'], unique=False)

    op.create_table('knowledge_theme_follows',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('tag_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tag_id'], ['tags.id'], name=op.f('fk_knowledge_theme_follows_tag_id_tags'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_knowledge_theme_follows_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_knowledge_theme_follows')),
    sa.UniqueConstraint('user_id', 'tag_id', name=op.f('uq_knowledge_theme_follows_user_id_tag_id'))
    )
    op.create_table('knowledge_item_authors',
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['knowledge_items.id'], name=op.f('fk_knowledge_item_authors_item_id_knowledge_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_knowledge_item_authors_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('item_id', 'user_id', name=op.f('pk_knowledge_item_authors'))
    )
    op.create_table('knowledge_item_regions',
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['knowledge_items.id'], name=op.f('fk_knowledge_item_regions_item_id_knowledge_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_knowledge_item_regions_region_id_regions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('item_id', 'region_id', name=op.f('pk_knowledge_item_regions'))
    )
    op.create_table('knowledge_item_sectors',
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('sector_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['knowledge_items.id'], name=op.f('fk_knowledge_item_sectors_item_id_knowledge_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sector_id'], ['sectors.id'], name=op.f('fk_knowledge_item_sectors_sector_id_sectors'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('item_id', 'sector_id', name=op.f('pk_knowledge_item_sectors'))
    )
    op.create_table('knowledge_item_tags',
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('tag_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['knowledge_items.id'], name=op.f('fk_knowledge_item_tags_item_id_knowledge_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tag_id'], ['tags.id'], name=op.f('fk_knowledge_item_tags_tag_id_tags'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('item_id', 'tag_id', name=op.f('pk_knowledge_item_tags'))
    )
    op.create_table('knowledge_references',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('source_type', sa.String(length=10), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('created_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("source_type IN ('post', 'event')", name=op.f('ck_knowledge_references_source_type')),
    sa.ForeignKeyConstraint(['item_id'], ['knowledge_items.id'], name=op.f('fk_knowledge_references_item_id_knowledge_items'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_knowledge_references')),
    sa.UniqueConstraint('item_id', 'source_type', 'source_id', name=op.f('uq_knowledge_references_item_id_source_type_source_id'))
    )
    with op.batch_alter_table('knowledge_references', schema=None) as batch_op:
        batch_op.create_index('ix_knowledge_references_source', ['source_type', 'source_id'], unique=False)

    op.create_table('knowledge_slug_redirects',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['knowledge_items.id'], name=op.f('fk_knowledge_slug_redirects_item_id_knowledge_items'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_knowledge_slug_redirects')),
    sa.UniqueConstraint('slug', name=op.f('uq_knowledge_slug_redirects_slug'))
    )
    with op.batch_alter_table('knowledge_slug_redirects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_knowledge_slug_redirects_item_id'), ['item_id'], unique=False)

    op.create_table('knowledge_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('editor_id', sa.Integer(), nullable=True),
    sa.Column('created_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('body_source', sa.Text(), nullable=False),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['editor_id'], ['users.id'], name=op.f('fk_knowledge_versions_editor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['item_id'], ['knowledge_items.id'], name=op.f('fk_knowledge_versions_item_id_knowledge_items'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_knowledge_versions')),
    sa.UniqueConstraint('item_id', 'number', name=op.f('uq_knowledge_versions_item_id_number'))
    )
    op.create_table('knowledge_consents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('post_id', sa.Integer(), nullable=True),
    sa.Column('quoted_text', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('created_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('decided_at', core.db.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('pending', 'granted', 'refused', 'removed')", name=op.f('ck_knowledge_consents_status')),
    sa.ForeignKeyConstraint(['item_id'], ['knowledge_items.id'], name=op.f('fk_knowledge_consents_item_id_knowledge_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_knowledge_consents_post_id_posts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_knowledge_consents_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_knowledge_consents')),
    sa.UniqueConstraint('item_id', 'post_id', name=op.f('uq_knowledge_consents_item_id_post_id'))
    )
    with op.batch_alter_table('knowledge_consents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_knowledge_consents_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('knowledge_consents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_knowledge_consents_user_id'))

    op.drop_table('knowledge_consents')
    op.drop_table('knowledge_versions')
    with op.batch_alter_table('knowledge_slug_redirects', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_knowledge_slug_redirects_item_id'))

    op.drop_table('knowledge_slug_redirects')
    with op.batch_alter_table('knowledge_references', schema=None) as batch_op:
        batch_op.drop_index('ix_knowledge_references_source')

    op.drop_table('knowledge_references')
    op.drop_table('knowledge_item_tags')
    op.drop_table('knowledge_item_sectors')
    op.drop_table('knowledge_item_regions')
    op.drop_table('knowledge_item_authors')
    op.drop_table('knowledge_theme_follows')
    with op.batch_alter_table('knowledge_items', schema=None) as batch_op:
        batch_op.drop_index('ix_knowledge_items_status_published_at')
        batch_op.drop_index(batch_op.f('ix_knowledge_items_status'))
        batch_op.drop_index(batch_op.f('ix_knowledge_items_published_at'))
        batch_op.drop_index(batch_op.f('ix_knowledge_items_evidence_level'))

    op.drop_table('knowledge_items')
