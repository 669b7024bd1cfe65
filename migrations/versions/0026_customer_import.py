"""Customer imports from the club's ticketing system or CRM: the file's progress and counts, and what each line
of it does (the preview), so a large file is checked and imported in batches with its progress shown.

Revision ID: 0026_customer_import
Revises: 0025_contact_metrics
Create Date: 2026-12-02 16:10:00
"""
from alembic import op
import sqlalchemy as sa
import portal.db


revision = '0026_customer_import'
down_revision = '0025_contact_metrics'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'customer_import',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=False),
        sa.Column('created_at', portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('filename', sa.String(length=200), nullable=False),
        sa.Column('stored_name', sa.String(length=64), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('lines_total', sa.Integer(), nullable=False),
        sa.Column('lines_done', sa.Integer(), nullable=False),
        sa.Column('columns', sa.JSON(), nullable=False),
        sa.Column('problems', sa.JSON(), nullable=False),
        sa.Column('preview_counts', sa.JSON(), nullable=False),
        sa.Column('result_counts', sa.JSON(), nullable=False),
        sa.Column('heartbeat_at', portal.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('finished_at', portal.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['created_by_id'], ['employee.id'], name=op.f('fk_customer_import_created_by_id_employee')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_customer_import')),
    )
    op.create_table(
        'customer_import_line',
        sa.Column('import_id', sa.Integer(), nullable=False),
        sa.Column('line', sa.Integer(), nullable=False),
        sa.Column('action', sa.String(length=12), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('external_id', sa.String(length=80), nullable=False),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('customer_id', sa.Integer(), nullable=True),
        sa.Column('message', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['import_id'], ['customer_import.id'], ondelete='CASCADE',
                                name=op.f('fk_customer_import_line_import_id_customer_import')),
        sa.PrimaryKeyConstraint('import_id', 'line', name=op.f('pk_customer_import_line')),
    )
    op.create_index('ix_customer_import_line_email', 'customer_import_line', ['import_id', 'email'])
    op.create_index('ix_customer_import_line_external_id', 'customer_import_line', ['import_id', 'external_id'])
    op.create_index('ix_customer_import_line_customer', 'customer_import_line', ['import_id', 'customer_id'])
    op.create_index('ix_customer_import_line_action', 'customer_import_line', ['import_id', 'action', 'line'])


def downgrade() -> None:
    op.drop_table('customer_import_line')
    op.drop_table('customer_import')
