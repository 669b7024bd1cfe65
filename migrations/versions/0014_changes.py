"""themes, quotes, you said we did changes

Revision ID: 0014_changes
Revises: 0013_mail
Create Date: 2026-11-22 23:44:21.280670
"""
from alembic import op
import sqlalchemy as sa
import portal.db


revision = '0014_changes'
down_revision = '0013_mail'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('theme',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['category.id'], name=op.f('fk_theme_category_id_category')),
    sa.ForeignKeyConstraint(['created_by_id'], ['employee.id'], name=op.f('fk_theme_created_by_id_employee')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_theme'))
    )
    op.create_table('change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=140), nullable=False),
    sa.Column('title', sa.String(length=140), nullable=False),
    sa.Column('you_said', sa.Text(), nullable=False),
    sa.Column('we_did', sa.Text(), nullable=False),
    sa.Column('whats_next', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('planned', 'in_progress', 'done', name='changestatus', native_enum=False, length=32), nullable=False),
    sa.Column('started_on', sa.Date(), nullable=True),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.Column('cover_filename', sa.String(length=80), nullable=False),
    sa.Column('cover_content_type', sa.String(length=40), nullable=False),
    sa.Column('cover_alt', sa.String(length=200), nullable=False),
    sa.Column('published', sa.Boolean(), nullable=False),
    sa.Column('published_at', portal.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['employee.id'], name=op.f('fk_change_created_by_id_employee')),
    sa.ForeignKeyConstraint(['theme_id'], ['theme.id'], name=op.f('fk_change_theme_id_theme')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_change')),
    sa.UniqueConstraint('slug', name=op.f('uq_change_slug'))
    )
    with op.batch_alter_table('change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_change_published'), ['published'], unique=False)
        batch_op.create_index(batch_op.f('ix_change_published_at'), ['published_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_change_theme_id'), ['theme_id'], unique=False)

    op.create_table('quote',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('customer_agreed', sa.Boolean(), nullable=False),
    sa.Column('created_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_quote_case_id_case')),
    sa.ForeignKeyConstraint(['theme_id'], ['theme.id'], name=op.f('fk_quote_theme_id_theme'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quote'))
    )
    with op.batch_alter_table('quote', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quote_theme_id'), ['theme_id'], unique=False)

    op.create_table('theme_case',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('added_by_id', sa.Integer(), nullable=False),
    sa.Column('added_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['added_by_id'], ['employee.id'], name=op.f('fk_theme_case_added_by_id_employee')),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_theme_case_case_id_case')),
    sa.ForeignKeyConstraint(['theme_id'], ['theme.id'], name=op.f('fk_theme_case_theme_id_theme'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_theme_case')),
    sa.UniqueConstraint('theme_id', 'case_id', name=op.f('uq_theme_case_theme_id'))
    )
    with op.batch_alter_table('theme_case', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_theme_case_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_theme_case_theme_id'), ['theme_id'], unique=False)

    op.create_table('change_feedback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('change_id', sa.Integer(), nullable=False),
    sa.Column('helped', sa.Boolean(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('created_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['change_id'], ['change.id'], name=op.f('fk_change_feedback_change_id_change'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_change_feedback'))
    )
    with op.batch_alter_table('change_feedback', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_change_feedback_change_id'), ['change_id'], unique=False)

    op.create_table('change_notification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('change_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('occasion', sa.String(length=20), nullable=False),
    sa.Column('queued_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['change_id'], ['change.id'], name=op.f('fk_change_notification_change_id_change'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_change_notification_customer_id_customer')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_change_notification')),
    sa.UniqueConstraint('change_id', 'customer_id', 'occasion', name=op.f('uq_change_notification_change_id'))
    )
    with op.batch_alter_table('change_notification', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_change_notification_change_id'), ['change_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('change_notification', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_change_notification_change_id'))

    op.drop_table('change_notification')
    with op.batch_alter_table('change_feedback', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_change_feedback_change_id'))

    op.drop_table('change_feedback')
    with op.batch_alter_table('theme_case', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_theme_case_theme_id'))
        batch_op.drop_index(batch_op.f('ix_theme_case_case_id'))

    op.drop_table('theme_case')
    with op.batch_alter_table('quote', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quote_theme_id'))

    op.drop_table('quote')
    with op.batch_alter_table('change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_change_theme_id'))
        batch_op.drop_index(batch_op.f('ix_change_published_at'))
        batch_op.drop_index(batch_op.f('ix_change_published'))

    op.drop_table('change')
    op.drop_table('theme')
