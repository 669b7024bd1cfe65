"""Task forces measured against the figure they set out to fix: the dashboard's figure, the team it is for, the day
the task force started, and the manager's question it grew from.

Revision ID: 0028d_task_force_outcome
Revises: 0028c_task_force_close
Create Date: 2026-12-04 19:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0028d_task_force_outcome'
down_revision = '0028c_task_force_close'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('task_force') as batch_op:
        batch_op.add_column(sa.Column('figure', sa.String(length=40), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('team_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('started_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('question_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(op.f('fk_task_force_team_id_team'), 'team', ['team_id'], ['id'])
        batch_op.create_foreign_key(op.f('fk_task_force_question_id_team_question'), 'team_question',
                                    ['question_id'], ['id'])
    # A task force formed before started the day it was formed.
    day = "date(created_at)" if op.get_bind().dialect.name == "sqlite" else "CAST(created_at AS DATE)"
    op.execute(f"UPDATE task_force SET started_on = {day} WHERE started_on IS NULL")


def downgrade() -> None:
    with op.batch_alter_table('task_force') as batch_op:
        batch_op.drop_constraint(op.f('fk_task_force_question_id_team_question'), type_='foreignkey')
        batch_op.drop_constraint(op.f('fk_task_force_team_id_team'), type_='foreignkey')
        batch_op.drop_column('question_id')
        batch_op.drop_column('started_on')
        batch_op.drop_column('team_id')
        batch_op.drop_column('figure')
