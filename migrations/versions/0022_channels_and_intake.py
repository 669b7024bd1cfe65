"""Intake from every channel: our own Message-IDs on outgoing mail, the inbound messages already seen, a logged
call's talk and hold time, and the club's own customer records (external id, preferences).

Revision ID: 0022_channels_and_intake
Revises: 0021_outbox_claims
Create Date: 2026-12-02 16:10:00
"""
from alembic import op
import sqlalchemy as sa
import portal.db


revision = '0022_channels_and_intake'
down_revision = '0021_outbox_claims'
branch_labels = None
depends_on = None


def _sqlite() -> bool:
    return op.get_context().dialect.name == "sqlite"


def _customer_batch():
    """SQLite rebuilds the customer table for these changes, and a rebuild loses the expression index on
    lower(email) (it cannot be reflected): drop it first and build it again after."""
    if _sqlite():
        op.drop_index('ix_customer_email_lower', table_name='customer')
    return op.batch_alter_table('customer')


def _index_again() -> None:
    if _sqlite():
        op.create_index('ix_customer_email_lower', 'customer', [sa.text('lower(email)')], unique=False)


def upgrade() -> None:
    with op.batch_alter_table('outbox_message') as batch_op:
        batch_op.add_column(sa.Column('message_id', sa.String(length=255), nullable=False, server_default=''))
        batch_op.create_index('ix_outbox_message_message_id', ['message_id'])
    op.create_table(
        'inbound_message',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('message_id', sa.String(length=255), nullable=False),
        sa.Column('sender', sa.String(length=254), nullable=False, server_default=''),
        sa.Column('received_at', portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('outcome', sa.String(length=200), nullable=False, server_default=''),
        sa.Column('case_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['case_id'], ['case.id'], name='fk_inbound_message_case_id_case'),
        sa.PrimaryKeyConstraint('id', name='pk_inbound_message'),
        sa.UniqueConstraint('message_id', name='uq_inbound_message_message_id'),
    )
    op.create_index('ix_inbound_message_case_id', 'inbound_message', ['case_id'])
    with op.batch_alter_table('case') as batch_op:
        batch_op.add_column(sa.Column('talk_seconds', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('hold_seconds', sa.Integer(), nullable=True))
    with _customer_batch() as batch_op:
        batch_op.add_column(sa.Column('external_id', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('preferences', sa.Text(), nullable=False, server_default=''))
        batch_op.create_unique_constraint('uq_customer_external_id', ['external_id'])
    _index_again()


def downgrade() -> None:
    with _customer_batch() as batch_op:
        batch_op.drop_constraint('uq_customer_external_id', type_='unique')
        batch_op.drop_column('preferences')
        batch_op.drop_column('external_id')
    _index_again()
    with op.batch_alter_table('case') as batch_op:
        batch_op.drop_column('hold_seconds')
        batch_op.drop_column('talk_seconds')
    op.drop_index('ix_inbound_message_case_id', table_name='inbound_message')
    op.drop_table('inbound_message')
    with op.batch_alter_table('outbox_message') as batch_op:
        batch_op.drop_index('ix_outbox_message_message_id')
        batch_op.drop_column('message_id')
