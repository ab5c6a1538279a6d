"""advice FAQ drafts live in the kennisbank: a question links its draft, the candidates
table goes

An advice question made into a FAQ now becomes a kennisbank item (kind "faq", draft,
members-only) through knowledge's own services; `advice_questions.faq_item_id` points at
it. The old `advice_faq_candidates` table is dropped: its rows held only anonymised text
that advisers can turn into a kennisbank draft again from the (still consented, closed)
question. Downgrade recreates the empty table and drops the link.

Revision ID: 0040
Revises: 0022
Create Date: 2026-12-02

"""

import sqlalchemy as sa
from alembic import op

import core.db

revision = "0040"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("advice_questions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("faq_item_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_advice_questions_faq_item_id_knowledge_items"),
            "knowledge_items", ["faq_item_id"], ["id"], ondelete="SET NULL",
        )  # fmt: skip
    op.drop_table("advice_faq_candidates")


def downgrade():
    op.create_table(
        "advice_faq_candidates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=150), nullable=False),
        sa.Column("question_text", sa.Text(), nullable=False),
        sa.Column("answer_text", sa.Text(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=True),
        sa.Column("flagged_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["flagged_by_id"], ["users.id"],
            name=op.f("fk_advice_faq_candidates_flagged_by_id_users"), ondelete="SET NULL",
        ),  # fmt: skip
        sa.ForeignKeyConstraint(
            ["question_id"], ["advice_questions.id"],
            name=op.f("fk_advice_faq_candidates_question_id_advice_questions"),
            ondelete="SET NULL",
        ),  # fmt: skip
        sa.ForeignKeyConstraint(
            ["theme_id"], ["tags.id"],
            name=op.f("fk_advice_faq_candidates_theme_id_tags"), ondelete="SET NULL",
        ),  # fmt: skip
        sa.PrimaryKeyConstraint("id", name=op.f("pk_advice_faq_candidates")),
        sa.UniqueConstraint("question_id", name=op.f("uq_advice_faq_candidates_question_id")),
    )
    with op.batch_alter_table("advice_questions", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_advice_questions_faq_item_id_knowledge_items"), type_="foreignkey"
        )
        batch_op.drop_column("faq_item_id")
