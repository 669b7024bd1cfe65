"""An index on lower(customer.email): customers are looked up by address whatever its case.

Revision ID: 0019_customer_email_lower
Revises: 0018_case_milestones
Create Date: 2026-11-23 03:38:22.859860
"""
from alembic import op
import sqlalchemy as sa
import portal.db


revision = '0019_customer_email_lower'
down_revision = '0018_case_milestones'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_customer_email_lower', 'customer', [sa.text('lower(email)')], unique=False)


def downgrade() -> None:
    op.drop_index('ix_customer_email_lower', table_name='customer')
