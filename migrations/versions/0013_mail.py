"""sendgrid: reply-to, transactional flag, delivery events, opt-out

Revision ID: 0013_mail
Revises: 0012_workspace
Create Date: 2026-11-22 23:33:29.651645
"""
from alembic import op
import sqlalchemy as sa
import portal.db


revision = '0013_mail'
down_revision = '0012_workspace'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('outbox_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=True),
    sa.Column('provider_event_id', sa.String(length=120), nullable=False),
    sa.Column('event', sa.String(length=30), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['message_id'], ['outbox_message.id'], name=op.f('fk_outbox_event_message_id_outbox_message'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_event')),
    sa.UniqueConstraint('provider_event_id', name=op.f('uq_outbox_event_provider_event_id'))
    )
    with op.batch_alter_table('outbox_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_event_message_id'), ['message_id'], unique=False)

    with op.batch_alter_table('customer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_opt_out_at', portal.db.UTCDateTime(timezone=True), nullable=True))

    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reply_to', sa.String(length=254), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('transactional', sa.Boolean(), nullable=False, server_default=sa.true()))



def downgrade() -> None:
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_column('transactional')
        batch_op.drop_column('reply_to')

    with op.batch_alter_table('customer', schema=None) as batch_op:
        batch_op.drop_column('email_opt_out_at')

    with op.batch_alter_table('outbox_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_event_message_id'))

    op.drop_table('outbox_event')
