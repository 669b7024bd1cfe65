"""core: teams, employees, customers, cases, events, outbox

Revision ID: 0001_core
Revises: 
Create Date: 2026-11-22 22:40:22.591213
"""
from alembic import op
import sqlalchemy as sa
import portal.db


revision = '0001_core'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('case_reference_counter',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('year', name=op.f('pk_case_reference_counter'))
    )
    op.create_table('customer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('preferred_contact', sa.String(length=10), nullable=False),
    sa.Column('lifetime_spend', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('customer_since', sa.Date(), nullable=True),
    sa.Column('membership', sa.String(length=80), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=True),
    sa.Column('email_undeliverable', sa.Boolean(), nullable=False),
    sa.Column('created_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customer')),
    sa.UniqueConstraint('email', name=op.f('uq_customer_email'))
    )
    op.create_table('sign_in_throttle',
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('locked_until', portal.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_failure_at', portal.db.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('email', name=op.f('pk_sign_in_throttle'))
    )
    op.create_table('team',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('manager_id', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_team')),
    sa.UniqueConstraint('name', name=op.f('uq_team_name'))
    )
    op.create_table('category',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('description', sa.String(length=200), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('first_response_hours', sa.Integer(), nullable=False),
    sa.Column('resolution_hours', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_category_team_id_team')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_category')),
    sa.UniqueConstraint('name', name=op.f('uq_category_name'))
    )
    op.create_table('employee',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('job_title', sa.String(length=80), nullable=False),
    sa.Column('role', sa.Enum('agent', 'manager', 'admin', name='role', native_enum=False, length=32), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('authority_limit', sa.Numeric(precision=10, scale=2), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=True),
    sa.Column('last_assigned_at', portal.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_employee_team_id_team')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_employee')),
    sa.UniqueConstraint('email', name=op.f('uq_employee_email'))
    )
    with op.batch_alter_table('employee', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_employee_team_id'), ['team_id'], unique=False)
    # team and employee refer to each other, so the team's manager is linked once both exist.
    with op.batch_alter_table('team', schema=None) as batch_op:
        batch_op.create_foreign_key(batch_op.f('fk_team_manager_id_employee'), 'employee', ['manager_id'], ['id'])

    op.create_table('case',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=20), nullable=False),
    sa.Column('kind', sa.Enum('complaint', 'suggestion', name='casekind', native_enum=False, length=32), nullable=False),
    sa.Column('channel', sa.Enum('web', 'email', 'phone', 'in_person', name='channel', native_enum=False, length=32), nullable=False),
    sa.Column('status', sa.Enum('new', 'acknowledged', 'remedy_offered', 'remedy_chosen', 'resolved', 'closed', 'reopened', 'withdrawn', name='casestatus', native_enum=False, length=32), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('what_happened', sa.Text(), nullable=False),
    sa.Column('make_it_right', sa.Text(), nullable=False),
    sa.Column('better_in_future', sa.Text(), nullable=False),
    sa.Column('booking_reference', sa.String(length=60), nullable=False),
    sa.Column('preferred_contact', sa.String(length=10), nullable=False),
    sa.Column('consent_to_contact', sa.Boolean(), nullable=False),
    sa.Column('needs_manager', sa.Boolean(), nullable=False),
    sa.Column('created_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('first_response_due', portal.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('resolution_due', portal.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('first_responded_at', portal.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('resolved_at', portal.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('closed_at', portal.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_customer_activity_at', portal.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['category_id'], ['category.id'], name=op.f('fk_case_category_id_category')),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_case_customer_id_customer')),
    sa.ForeignKeyConstraint(['owner_id'], ['employee.id'], name=op.f('fk_case_owner_id_employee')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case')),
    sa.UniqueConstraint('reference', name=op.f('uq_case_reference'))
    )
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_category_id'), ['category_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_created_at'), ['created_at'], unique=False)
        batch_op.create_index('ix_case_customer_created', ['customer_id', 'created_at'], unique=False)
        batch_op.create_index('ix_case_owner_status', ['owner_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_status'), ['status'], unique=False)

    op.create_table('event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=True),
    sa.Column('by_customer', sa.Boolean(), nullable=False),
    sa.Column('public', sa.Boolean(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_event_case_id_case')),
    sa.ForeignKeyConstraint(['employee_id'], ['employee.id'], name=op.f('fk_event_employee_id_employee')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event'))
    )
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_at'), ['at'], unique=False)
        batch_op.create_index('ix_event_case_id', ['case_id', 'id'], unique=False)

    op.create_table('outbox_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('to_address', sa.String(length=254), nullable=False),
    sa.Column('template', sa.String(length=60), nullable=False),
    sa.Column('subject', sa.String(length=255), nullable=False),
    sa.Column('body_text', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('context', sa.JSON(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('queued', 'sending', 'sent', 'failed', 'dead', name='outboxstatus', native_enum=False, length=32), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('claimed_until', portal.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('claimed_by', sa.String(length=80), nullable=False),
    sa.Column('provider_message_id', sa.String(length=120), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.Column('created_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sent_at', portal.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_outbox_message_case_id_case')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_message'))
    )
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_message_case_id'), ['case_id'], unique=False)
        batch_op.create_index('ix_outbox_message_due', ['status', 'next_attempt_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_message_due')
        batch_op.drop_index(batch_op.f('ix_outbox_message_case_id'))

    op.drop_table('outbox_message')
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_index('ix_event_case_id')
        batch_op.drop_index(batch_op.f('ix_event_at'))

    op.drop_table('event')
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_status'))
        batch_op.drop_index('ix_case_owner_status')
        batch_op.drop_index('ix_case_customer_created')
        batch_op.drop_index(batch_op.f('ix_case_created_at'))
        batch_op.drop_index(batch_op.f('ix_case_category_id'))

    op.drop_table('case')
    with op.batch_alter_table('employee', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_employee_team_id'))

    with op.batch_alter_table('team', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_team_manager_id_employee'), type_='foreignkey')
    op.drop_table('employee')
    op.drop_table('category')
    op.drop_table('team')
    op.drop_table('sign_in_throttle')
    op.drop_table('customer')
    op.drop_table('case_reference_counter')
