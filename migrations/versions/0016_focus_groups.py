"""focus groups and members

Revision ID: 0016_focus_groups
Revises: 0015_idea_change
Create Date: 2026-11-23 00:36:29.534788
"""
from alembic import op
import sqlalchemy as sa
import portal.db


revision = '0016_focus_groups'
down_revision = '0015_idea_change'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('focus_group',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['employee.id'], name=op.f('fk_focus_group_created_by_id_employee')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_focus_group')),
    sa.UniqueConstraint('name', name=op.f('uq_focus_group_name'))
    )
    op.create_table('focus_group_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('membership_number', sa.String(length=40), nullable=False),
    sa.Column('member_since', sa.Date(), nullable=True),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('left_at', portal.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('added_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_focus_group_member_customer_id_customer')),
    sa.ForeignKeyConstraint(['group_id'], ['focus_group.id'], name=op.f('fk_focus_group_member_group_id_focus_group'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_focus_group_member')),
    sa.UniqueConstraint('group_id', 'email', name=op.f('uq_focus_group_member_group_id'))
    )
    with op.batch_alter_table('focus_group_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_focus_group_member_group_id'), ['group_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('focus_group_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_focus_group_member_group_id'))

    op.drop_table('focus_group_member')
    op.drop_table('focus_group')
