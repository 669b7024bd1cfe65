"""ideas box and task forces

Revision ID: 0008_ideas
Revises: 0001_core
Create Date: 2026-11-22 22:53:52.386325
"""
from alembic import op
import sqlalchemy as sa
import portal.db


revision = '0008_ideas'
down_revision = '0001_core'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('task_force',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('goal', sa.Text(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['employee.id'], name=op.f('fk_task_force_created_by_id_employee')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_task_force'))
    )
    op.create_table('idea',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('kind', sa.Enum('idea', 'blocker', name='ideakind', native_enum=False, length=32), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('new', 'under_review', 'task_force', 'done', 'not_now', name='ideastatus', native_enum=False, length=32), nullable=False),
    sa.Column('status_reason', sa.Text(), nullable=False),
    sa.Column('status_changed_at', portal.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('status_changed_by_id', sa.Integer(), nullable=True),
    sa.Column('task_force_id', sa.Integer(), nullable=True),
    sa.Column('created_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['employee.id'], name=op.f('fk_idea_author_id_employee')),
    sa.ForeignKeyConstraint(['category_id'], ['category.id'], name=op.f('fk_idea_category_id_category')),
    sa.ForeignKeyConstraint(['status_changed_by_id'], ['employee.id'], name=op.f('fk_idea_status_changed_by_id_employee')),
    sa.ForeignKeyConstraint(['task_force_id'], ['task_force.id'], name=op.f('fk_idea_task_force_id_task_force')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_idea'))
    )
    with op.batch_alter_table('idea', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_idea_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_idea_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_idea_status'), ['status'], unique=False)

    op.create_table('task_force_member',
    sa.Column('task_force_id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['employee_id'], ['employee.id'], name=op.f('fk_task_force_member_employee_id_employee')),
    sa.ForeignKeyConstraint(['task_force_id'], ['task_force.id'], name=op.f('fk_task_force_member_task_force_id_task_force'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('task_force_id', 'employee_id', name=op.f('pk_task_force_member'))
    )
    op.create_table('idea_comment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('idea_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['employee.id'], name=op.f('fk_idea_comment_author_id_employee')),
    sa.ForeignKeyConstraint(['idea_id'], ['idea.id'], name=op.f('fk_idea_comment_idea_id_idea'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_idea_comment'))
    )
    with op.batch_alter_table('idea_comment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_idea_comment_idea_id'), ['idea_id'], unique=False)

    op.create_table('idea_support',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('idea_id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('created_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['employee_id'], ['employee.id'], name=op.f('fk_idea_support_employee_id_employee')),
    sa.ForeignKeyConstraint(['idea_id'], ['idea.id'], name=op.f('fk_idea_support_idea_id_idea'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_idea_support')),
    sa.UniqueConstraint('idea_id', 'employee_id', name=op.f('uq_idea_support_idea_id'))
    )


def downgrade() -> None:
    op.drop_table('idea_support')
    with op.batch_alter_table('idea_comment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_idea_comment_idea_id'))

    op.drop_table('idea_comment')
    op.drop_table('task_force_member')
    with op.batch_alter_table('idea', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_idea_status'))
        batch_op.drop_index(batch_op.f('ix_idea_created_at'))
        batch_op.drop_index(batch_op.f('ix_idea_author_id'))

    op.drop_table('idea')
    op.drop_table('task_force')
