"""Each case's milestones say whether it was resolved at first contact (for the dashboard's first-contact
resolution rate), filled from the existing timelines.

Revision ID: 0025_contact_metrics
Revises: 0023_search
Create Date: 2026-12-02 16:20:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0025_contact_metrics'
down_revision = '0023_search'
branch_labels = None
depends_on = None

# The row's columns as this migration leaves them: a later migration that adds one fills the rows again itself.
COLUMNS = ("case_id", "first_response_at", "first_offer_at", "first_proposed_at", "first_approved_at",
           "first_choice_at", "resolved_at", "handoffs", "reopens", "counter_proposals", "choices", "rating",
           "resolved_at_first_contact")


def upgrade() -> None:
    with op.batch_alter_table('case_milestones') as batch_op:
        batch_op.add_column(sa.Column('resolved_at_first_contact', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    # Filled by the app's own definition, so the rows match what it keeps up to date.
    from portal.metrics.milestone_sync import rebuild

    rebuild(op.get_bind(), columns=COLUMNS)


def downgrade() -> None:
    with op.batch_alter_table('case_milestones') as batch_op:
        batch_op.drop_column('resolved_at_first_contact')
