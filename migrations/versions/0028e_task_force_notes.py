"""Notes of a task force's meetings: the day it met, what was found and agreed, who wrote it.

Revision ID: 0028e_task_force_notes
Revises: 0028d_task_force_outcome
Create Date: 2026-12-04 19:55:00
"""
from alembic import op
import sqlalchemy as sa

import portal.db


revision = '0028e_task_force_notes'
down_revision = '0028d_task_force_outcome'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'task_force_note',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('task_force_id', sa.Integer(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=False),
        sa.Column('met_on', sa.Date(), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('created_at', portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['task_force_id'], ['task_force.id'], ondelete='CASCADE',
                                name=op.f('fk_task_force_note_task_force_id_task_force')),
        sa.ForeignKeyConstraint(['author_id'], ['employee.id'], name=op.f('fk_task_force_note_author_id_employee')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_task_force_note')),
    )
    op.create_index(op.f('ix_task_force_note_task_force_id'), 'task_force_note', ['task_force_id'])


def downgrade() -> None:
    op.drop_index(op.f('ix_task_force_note_task_force_id'), table_name='task_force_note')
    op.drop_table('task_force_note')
