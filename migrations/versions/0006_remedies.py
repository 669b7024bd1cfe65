"""remedies: catalogue, offers, remedies, choices, approvals, ratings; outbox attachments

Revision ID: 0006_remedies
Revises: 0009_admin
Create Date: 2026-11-22 22:55:31.027965
"""
from alembic import op
import sqlalchemy as sa
import portal.db


revision = '0006_remedies'
down_revision = '0009_admin'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('remedy_catalogue_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('refund', 'account_credit', 'replacement', 'redo', 'callback', 'apology_and_fix', 'gesture', 'other', name='remedykind', native_enum=False, length=32), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('when_text', sa.Text(), nullable=False),
    sa.Column('typical_cost', sa.Numeric(precision=10, scale=2), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['category.id'], name=op.f('fk_remedy_catalogue_entry_category_id_category')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_remedy_catalogue_entry'))
    )
    with op.batch_alter_table('remedy_catalogue_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_remedy_catalogue_entry_category_id'), ['category_id'], unique=False)

    op.create_table('remedy_offer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('awaiting_approval', 'sent', 'returned_for_changes', 'chosen', 'declined', 'expired', name='offerstatus', native_enum=False, length=32), nullable=False),
    sa.Column('proposed_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sent_at', portal.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('expires_at', portal.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reminded_at', portal.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('answered_at', portal.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('fulfilled_at', portal.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('fulfilled_by_id', sa.Integer(), nullable=True),
    sa.Column('fulfilment', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_remedy_offer_case_id_case')),
    sa.ForeignKeyConstraint(['fulfilled_by_id'], ['employee.id'], name=op.f('fk_remedy_offer_fulfilled_by_id_employee')),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['employee.id'], name=op.f('fk_remedy_offer_proposed_by_id_employee')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_remedy_offer'))
    )
    with op.batch_alter_table('remedy_offer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_remedy_offer_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_remedy_offer_status'), ['status'], unique=False)

    op.create_table('outbox_attachment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['message_id'], ['outbox_message.id'], name=op.f('fk_outbox_attachment_message_id_outbox_message'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_attachment'))
    )
    with op.batch_alter_table('outbox_attachment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_attachment_message_id'), ['message_id'], unique=False)

    op.create_table('remedy',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('offer_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('refund', 'account_credit', 'replacement', 'redo', 'callback', 'apology_and_fix', 'gesture', 'other', name='remedykind', native_enum=False, length=32), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('when_text', sa.Text(), nullable=False),
    sa.Column('cost', sa.Numeric(precision=10, scale=2), nullable=False),
    sa.Column('catalogue_entry_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['catalogue_entry_id'], ['remedy_catalogue_entry.id'], name=op.f('fk_remedy_catalogue_entry_id_remedy_catalogue_entry')),
    sa.ForeignKeyConstraint(['offer_id'], ['remedy_offer.id'], name=op.f('fk_remedy_offer_id_remedy_offer')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_remedy'))
    )
    with op.batch_alter_table('remedy', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_remedy_offer_id'), ['offer_id'], unique=False)

    op.create_table('remedy_approval',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('offer_id', sa.Integer(), nullable=False),
    sa.Column('manager_id', sa.Integer(), nullable=False),
    sa.Column('approved', sa.Boolean(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('decided_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['manager_id'], ['employee.id'], name=op.f('fk_remedy_approval_manager_id_employee')),
    sa.ForeignKeyConstraint(['offer_id'], ['remedy_offer.id'], name=op.f('fk_remedy_approval_offer_id_remedy_offer')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_remedy_approval'))
    )
    with op.batch_alter_table('remedy_approval', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_remedy_approval_offer_id'), ['offer_id'], unique=False)

    op.create_table('remedy_rating',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('offer_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('made_it_right', sa.Boolean(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('rated_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['offer_id'], ['remedy_offer.id'], name=op.f('fk_remedy_rating_offer_id_remedy_offer')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_remedy_rating')),
    sa.UniqueConstraint('offer_id', name=op.f('uq_remedy_rating_offer_id'))
    )
    op.create_table('remedy_choice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('offer_id', sa.Integer(), nullable=False),
    sa.Column('remedy_id', sa.Integer(), nullable=True),
    sa.Column('counter_proposal', sa.Text(), nullable=False),
    sa.Column('chosen_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['offer_id'], ['remedy_offer.id'], name=op.f('fk_remedy_choice_offer_id_remedy_offer')),
    sa.ForeignKeyConstraint(['remedy_id'], ['remedy.id'], name=op.f('fk_remedy_choice_remedy_id_remedy')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_remedy_choice')),
    sa.UniqueConstraint('offer_id', name=op.f('uq_remedy_choice_offer_id'))
    )


def downgrade() -> None:
    op.drop_table('remedy_choice')
    op.drop_table('remedy_rating')
    with op.batch_alter_table('remedy_approval', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_remedy_approval_offer_id'))

    op.drop_table('remedy_approval')
    with op.batch_alter_table('remedy', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_remedy_offer_id'))

    op.drop_table('remedy')
    with op.batch_alter_table('outbox_attachment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_attachment_message_id'))

    op.drop_table('outbox_attachment')
    with op.batch_alter_table('remedy_offer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_remedy_offer_status'))
        batch_op.drop_index(batch_op.f('ix_remedy_offer_case_id'))

    op.drop_table('remedy_offer')
    with op.batch_alter_table('remedy_catalogue_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_remedy_catalogue_entry_category_id'))

    op.drop_table('remedy_catalogue_entry')
