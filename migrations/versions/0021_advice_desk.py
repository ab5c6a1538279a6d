"""advice desk: questions, their private conversation, the sparring pool, FAQ candidates

Revision ID: 0021
Revises: 0003
Create Date: 2026-12-02

"""
from alembic import op
import sqlalchemy as sa

import core.db


revision = '0021'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('advice_partners',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('availability', sa.String(length=12), nullable=False),
    sa.Column('is_available', sa.Boolean(), nullable=False),
    sa.Column('created_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("availability IN ('wekelijks', 'maandelijks', 'af_en_toe')", name=op.f('ck_advice_partners_availability')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_advice_partners_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_advice_partners')),
    sa.UniqueConstraint('user_id', name=op.f('uq_advice_partners_user_id'))
    )
    op.create_table('advice_questions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('asker_id', sa.Integer(), nullable=True),
    sa.Column('subject', sa.String(length=150), nullable=True),
    sa.Column('body_source', sa.Text(), nullable=True),
    sa.Column('body_html', sa.Text(), nullable=True),
    sa.Column('urgency', sa.String(length=10), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=True),
    sa.Column('sector_id', sa.Integer(), nullable=True),
    sa.Column('region_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('privacy_override', sa.Boolean(), nullable=False),
    sa.Column('adviser_id', sa.Integer(), nullable=True),
    sa.Column('partner_id', sa.Integer(), nullable=True),
    sa.Column('created_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('due_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('first_answered_at', core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_activity_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('closed_at', core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('outcome', sa.String(length=20), nullable=True),
    sa.Column('rating', sa.String(length=12), nullable=True),
    sa.Column('faq_consent', sa.Boolean(), nullable=False),
    sa.Column('reminder_sent_at', core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('erased_at', core.db.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("kind IN ('adviseur', 'sparringpartner')", name=op.f('ck_advice_questions_kind')),
    sa.CheckConstraint("outcome IS NULL OR outcome IN ('beantwoord', 'doorverwezen', 'geen_reactie', 'anders')", name=op.f('ck_advice_questions_outcome')),
    sa.CheckConstraint("rating IS NULL OR rating IN ('helped', 'not_helped')", name=op.f('ck_advice_questions_rating')),
    sa.CheckConstraint("rating IS NULL OR status = 'closed'", name=op.f('ck_advice_questions_rated_when_closed')),
    sa.CheckConstraint("status IN ('open', 'answered', 'closed')", name=op.f('ck_advice_questions_status')),
    sa.CheckConstraint("urgency IN ('normaal', 'spoed', 'acuut')", name=op.f('ck_advice_questions_urgency')),
    sa.ForeignKeyConstraint(['adviser_id'], ['users.id'], name=op.f('fk_advice_questions_adviser_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['asker_id'], ['users.id'], name=op.f('fk_advice_questions_asker_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['partner_id'], ['users.id'], name=op.f('fk_advice_questions_partner_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_advice_questions_region_id_regions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['sector_id'], ['sectors.id'], name=op.f('fk_advice_questions_sector_id_sectors'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['theme_id'], ['tags.id'], name=op.f('fk_advice_questions_theme_id_tags'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_advice_questions'))
    )
    with op.batch_alter_table('advice_questions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_advice_questions_adviser_id'), ['adviser_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_advice_questions_asker_id'), ['asker_id'], unique=False)
        batch_op.create_index('ix_advice_questions_created_at', ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_advice_questions_partner_id'), ['partner_id'], unique=False)
        batch_op.create_index('ix_advice_questions_status_due_at', ['status', 'due_at'], unique=False)

    op.create_table('advice_faq_candidates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=150), nullable=False),
    sa.Column('question_text', sa.Text(), nullable=False),
    sa.Column('answer_text', sa.Text(), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=True),
    sa.Column('flagged_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['flagged_by_id'], ['users.id'], name=op.f('fk_advice_faq_candidates_flagged_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['question_id'], ['advice_questions.id'], name=op.f('fk_advice_faq_candidates_question_id_advice_questions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['theme_id'], ['tags.id'], name=op.f('fk_advice_faq_candidates_theme_id_tags'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_advice_faq_candidates')),
    sa.UniqueConstraint('question_id', name=op.f('uq_advice_faq_candidates_question_id'))
    )
    op.create_table('advice_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body_source', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('is_internal', sa.Boolean(), nullable=False),
    sa.Column('privacy_override', sa.Boolean(), nullable=False),
    sa.Column('created_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_advice_messages_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['question_id'], ['advice_questions.id'], name=op.f('fk_advice_messages_question_id_advice_questions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_advice_messages'))
    )
    with op.batch_alter_table('advice_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_advice_messages_question_id'), ['question_id'], unique=False)

    op.create_table('advice_partner_regions',
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['partner_id'], ['advice_partners.id'], name=op.f('fk_advice_partner_regions_partner_id_advice_partners'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_advice_partner_regions_region_id_regions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('partner_id', 'region_id', name=op.f('pk_advice_partner_regions'))
    )
    op.create_table('advice_partner_sectors',
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('sector_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['partner_id'], ['advice_partners.id'], name=op.f('fk_advice_partner_sectors_partner_id_advice_partners'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sector_id'], ['sectors.id'], name=op.f('fk_advice_partner_sectors_sector_id_sectors'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('partner_id', 'sector_id', name=op.f('pk_advice_partner_sectors'))
    )
    op.create_table('advice_partner_themes',
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('tag_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['partner_id'], ['advice_partners.id'], name=op.f('fk_advice_partner_themes_partner_id_advice_partners'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tag_id'], ['tags.id'], name=op.f('fk_advice_partner_themes_tag_id_tags'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('partner_id', 'tag_id', name=op.f('pk_advice_partner_themes'))
    )
    op.create_table('advice_proposals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('created_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('answered_at', core.db.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('proposed', 'accepted', 'declined', 'withdrawn')", name=op.f('ck_advice_proposals_status')),
    sa.ForeignKeyConstraint(['question_id'], ['advice_questions.id'], name=op.f('fk_advice_proposals_question_id_advice_questions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_advice_proposals_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_advice_proposals')),
    sa.UniqueConstraint('question_id', 'user_id', name=op.f('uq_advice_proposals_question_id_user_id'))
    )
    with op.batch_alter_table('advice_proposals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_advice_proposals_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('advice_proposals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_advice_proposals_user_id'))

    op.drop_table('advice_proposals')
    op.drop_table('advice_partner_themes')
    op.drop_table('advice_partner_sectors')
    op.drop_table('advice_partner_regions')
    with op.batch_alter_table('advice_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_advice_messages_question_id'))

    op.drop_table('advice_messages')
    op.drop_table('advice_faq_candidates')
    with op.batch_alter_table('advice_questions', schema=None) as batch_op:
        batch_op.drop_index('ix_advice_questions_status_due_at')
        batch_op.drop_index(batch_op.f('ix_advice_questions_partner_id'))
        batch_op.drop_index('ix_advice_questions_created_at')
        batch_op.drop_index(batch_op.f('ix_advice_questions_asker_id'))
        batch_op.drop_index(batch_op.f('ix_advice_questions_adviser_id'))

    op.drop_table('advice_questions')
    op.drop_table('advice_partners')
