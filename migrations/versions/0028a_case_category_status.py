"""The team queue's cases by category and status in one index: a team's open cases are a few hundred among tens of
thousands, and with an index on the category alone SQLite read every case of the team's categories to find them
(3 ms a statement at 20,000 cases, twice a page). The index on the category alone goes: this one leads with it.

Revision ID: 0028a_case_category_status
Revises: 0027_case_timeline_search
Create Date: 2026-12-04 19:05:00
"""
from alembic import op


revision = '0028a_case_category_status'
down_revision = '0027_case_timeline_search'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_case_category_status', 'case', ['category_id', 'status'])
    op.drop_index('ix_case_category_id', table_name='case')


def downgrade() -> None:
    op.create_index('ix_case_category_id', 'case', ['category_id'])
    op.drop_index('ix_case_category_status', table_name='case')
