"""Ask the team: a manager's question to one or more teams, perhaps about one of the dashboard's figures, with a
closing date; the ideas that answer it point at it.

Revision ID: 0028c_team_questions
Revises: 0028a_case_category_status
Create Date: 2026-12-04 19:20:00
"""
from alembic import op
import sqlalchemy as sa

import portal.db


revision = '0028c_team_questions'
down_revision = '0028a_case_category_status'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'team_question',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('text', sa.String(length=300), nullable=False),
        sa.Column('detail', sa.Text(), nullable=False),
        sa.Column('figure', sa.String(length=40), nullable=False),
        sa.Column('closes_on', sa.Date(), nullable=False),
        sa.Column('asked_by_id', sa.Integer(), nullable=False),
        sa.Column('asked_at', portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['asked_by_id'], ['employee.id'], name=op.f('fk_team_question_asked_by_id_employee')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_team_question')),
    )
    op.create_index(op.f('ix_team_question_asked_at'), 'team_question', ['asked_at'])
    op.create_table(
        'team_question_team',
        sa.Column('question_id', sa.Integer(), nullable=False),
        sa.Column('team_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['question_id'], ['team_question.id'], ondelete='CASCADE',
                                name=op.f('fk_team_question_team_question_id_team_question')),
        sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_team_question_team_team_id_team')),
        sa.PrimaryKeyConstraint('question_id', 'team_id', name=op.f('pk_team_question_team')),
    )
    with op.batch_alter_table('idea') as batch_op:
        batch_op.add_column(sa.Column('question_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(op.f('fk_idea_question_id_team_question'), 'team_question', ['question_id'],
                                    ['id'])
        batch_op.create_index(op.f('ix_idea_question_id'), ['question_id'])


def downgrade() -> None:
    with op.batch_alter_table('idea') as batch_op:
        batch_op.drop_index(op.f('ix_idea_question_id'))
        batch_op.drop_constraint(op.f('fk_idea_question_id_team_question'), type_='foreignkey')
        batch_op.drop_column('question_id')
    op.drop_table('team_question_team')
    op.drop_index(op.f('ix_team_question_asked_at'), table_name='team_question')
    op.drop_table('team_question')
