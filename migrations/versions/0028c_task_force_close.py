"""Task forces are closed with what they changed and why they end now (who closed them, when).

Revision ID: 0028c_task_force_close
Revises: 0028b_idea_support_notice
Create Date: 2026-12-04 19:30:00
"""
from alembic import op
import sqlalchemy as sa
import portal.db


revision = '0028c_task_force_close'
down_revision = '0028b_idea_support_notice'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('task_force') as batch_op:
        batch_op.add_column(sa.Column('closed_at', portal.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('closed_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('outcome', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('close_reason', sa.Text(), nullable=False, server_default=''))
        batch_op.create_foreign_key(batch_op.f('fk_task_force_closed_by_id_employee'), 'employee',
                                    ['closed_by_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('task_force') as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_task_force_closed_by_id_employee'), type_='foreignkey')
        batch_op.drop_column('close_reason')
        batch_op.drop_column('outcome')
        batch_op.drop_column('closed_by_id')
        batch_op.drop_column('closed_at')
