"""an idea links to the change it shipped as

Revision ID: 0015_idea_change
Revises: 0014_changes
Create Date: 2026-11-23 00:08:54.577002
"""
from alembic import op
import sqlalchemy as sa
import portal.db


revision = '0015_idea_change'
down_revision = '0014_changes'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('idea', schema=None) as batch_op:
        batch_op.add_column(sa.Column('change_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_idea_change_id_change'), 'change', ['change_id'], ['id'])



def downgrade() -> None:
    with op.batch_alter_table('idea', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_idea_change_id_change'), type_='foreignkey')
        batch_op.drop_column('change_id')

