"""Sessions the server can end, and sign-in throttles per client address.

Each employee and customer gets a session generation (a cookie names "<id>:<generation>"; ending the sessions
moves it on). The throttle is keyed by a hash of (account, client address) or (client address) now, so its old
rows, keyed by e-mail address alone, mean nothing any more: the table is made again, empty.

Revision ID: 0020_sessions
Revises: 0019_customer_email_lower
Create Date: 2026-12-02 05:00:00
"""
from alembic import op
import sqlalchemy as sa
import portal.db


revision = '0020_sessions'
down_revision = '0019_customer_email_lower'
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ('employee', 'customer'):
        op.add_column(table, sa.Column('session_generation', sa.Integer(), server_default=sa.text('0'),
                                       nullable=False))
    op.drop_table('sign_in_throttle')
    op.create_table('sign_in_throttle',
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('locked_until', portal.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_failure_at', portal.db.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('key_hash', name=op.f('pk_sign_in_throttle'))
    )


def downgrade() -> None:
    op.drop_table('sign_in_throttle')
    op.create_table('sign_in_throttle',
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('locked_until', portal.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_failure_at', portal.db.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('email', name=op.f('pk_sign_in_throttle'))
    )
    # Plain ALTER TABLE … DROP COLUMN (SQLite 3.35+): a batch copy of customer would lose its lower(email) index.
    for table in ('customer', 'employee'):
        op.drop_column(table, 'session_generation')
