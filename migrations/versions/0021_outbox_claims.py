"""Outbox claims carry a token of their own (fencing) and the moment the current attempt began.

Revision ID: 0021_outbox_claims
Revises: 0020_sessions
Create Date: 2026-12-02 04:50:00
"""
from alembic import op
import sqlalchemy as sa
import portal.db


revision = '0021_outbox_claims'
down_revision = '0020_sessions'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('outbox_message') as batch_op:
        batch_op.add_column(sa.Column('claim_token', sa.String(length=32), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('attempt_started_at', portal.db.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('outbox_message') as batch_op:
        batch_op.drop_column('attempt_started_at')
        batch_op.drop_column('claim_token')
