"""Each case's milestones kept beside it (recomputed from its timeline), filled from the existing timelines.

Revision ID: 0018_case_milestones
Revises: 0017_surveys
Create Date: 2026-11-23 03:20:54.299039
"""
from alembic import op
import sqlalchemy as sa
import portal.db


revision = '0018_case_milestones'
down_revision = '0017_surveys'
branch_labels = None
depends_on = None

COLUMNS = ("case_id", "first_response_at", "first_offer_at", "first_proposed_at", "first_approved_at",
           "first_choice_at", "resolved_at", "handoffs", "reopens", "counter_proposals", "choices", "rating")


def upgrade() -> None:
    op.create_table('case_milestones',
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('first_response_at', portal.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('first_offer_at', portal.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('first_proposed_at', portal.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('first_approved_at', portal.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('first_choice_at', portal.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('resolved_at', portal.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('handoffs', sa.Integer(), nullable=False),
    sa.Column('reopens', sa.Integer(), nullable=False),
    sa.Column('counter_proposals', sa.Integer(), nullable=False),
    sa.Column('choices', sa.Integer(), nullable=False),
    sa.Column('rating', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_case_milestones_case_id_case'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('case_id', name=op.f('pk_case_milestones'))
    )
    # Filled by the app's own definition of a case's milestones, so the rows match what it keeps up to date (the
    # columns this migration made: later ones add columns and fill the rows again).
    from portal.metrics.milestone_sync import rebuild

    rebuild(op.get_bind(), columns=COLUMNS)


def downgrade() -> None:
    op.drop_table('case_milestones')
