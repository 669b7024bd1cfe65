"""case helpers, customer notes, who is viewing a case

Revision ID: 0012_workspace
Revises: 0010_filing
Create Date: 2026-11-22 23:27:37.237538
"""
from alembic import op
import sqlalchemy as sa
import portal.db


revision = '0012_workspace'
down_revision = '0010_filing'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('customer_note',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['employee.id'], name=op.f('fk_customer_note_author_id_employee')),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_customer_note_customer_id_customer')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customer_note'))
    )
    with op.batch_alter_table('customer_note', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_customer_note_customer_id'), ['customer_id'], unique=False)

    op.create_table('case_helper',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('added_by_id', sa.Integer(), nullable=False),
    sa.Column('added_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['added_by_id'], ['employee.id'], name=op.f('fk_case_helper_added_by_id_employee')),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_case_helper_case_id_case')),
    sa.ForeignKeyConstraint(['employee_id'], ['employee.id'], name=op.f('fk_case_helper_employee_id_employee')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_helper')),
    sa.UniqueConstraint('case_id', 'employee_id', name=op.f('uq_case_helper_case_id'))
    )
    with op.batch_alter_table('case_helper', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_helper_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_helper_employee_id'), ['employee_id'], unique=False)

    op.create_table('case_viewer',
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('seen_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_case_viewer_case_id_case')),
    sa.ForeignKeyConstraint(['employee_id'], ['employee.id'], name=op.f('fk_case_viewer_employee_id_employee')),
    sa.PrimaryKeyConstraint('case_id', 'employee_id', name=op.f('pk_case_viewer'))
    )


def downgrade() -> None:
    op.drop_table('case_viewer')
    with op.batch_alter_table('case_helper', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_helper_employee_id'))
        batch_op.drop_index(batch_op.f('ix_case_helper_case_id'))

    op.drop_table('case_helper')
    with op.batch_alter_table('customer_note', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_customer_note_customer_id'))

    op.drop_table('customer_note')
