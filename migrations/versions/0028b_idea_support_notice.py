"""Ideas: that an idea's author was told of a colleague's support, so withdrawing and giving it again tells
them nothing new (one e-mail per colleague per idea).

Revision ID: 0028b_idea_support_notice
Revises: 0028c_team_questions
Create Date: 2026-12-04 19:20:00
"""
from alembic import op
import sqlalchemy as sa
import portal.db


revision = '0028b_idea_support_notice'
down_revision = '0028c_team_questions'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'idea_support_notice',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('idea_id', sa.Integer(), nullable=False),
        sa.Column('employee_id', sa.Integer(), nullable=False),
        sa.Column('created_at', portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['employee_id'], ['employee.id'],
                                name=op.f('fk_idea_support_notice_employee_id_employee')),
        sa.ForeignKeyConstraint(['idea_id'], ['idea.id'], name=op.f('fk_idea_support_notice_idea_id_idea'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_idea_support_notice')),
        sa.UniqueConstraint('idea_id', 'employee_id', name=op.f('uq_idea_support_notice_idea_id')),
    )


def downgrade() -> None:
    op.drop_table('idea_support_notice')
