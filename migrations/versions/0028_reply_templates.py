"""Reply templates: canned replies with placeholders, a team's (kept by its managers) or one employee's own.

Revision ID: 0028_reply_templates
Revises: 0028e_task_force_notes
Create Date: 2026-12-04 19:00:00
"""
from alembic import op
import sqlalchemy as sa
import portal.db


revision = '0028_reply_templates'
down_revision = '0028e_task_force_notes'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'reply_template',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(length=80), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('team_id', sa.Integer(), nullable=True),
        sa.Column('owner_id', sa.Integer(), nullable=True),
        sa.Column('created_at', portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('updated_at', portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint('(team_id IS NULL) <> (owner_id IS NULL)', name=op.f('ck_reply_template_team_or_owner')),
        sa.ForeignKeyConstraint(['owner_id'], ['employee.id'], name=op.f('fk_reply_template_owner_id_employee')),
        sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_reply_template_team_id_team')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_reply_template')),
    )
    # Unique whatever the capitals: "Refund" and "refund" are one title to whoever picks from the list.
    op.create_index('uq_reply_template_team_title', 'reply_template', ['team_id', sa.text('lower(title)')],
                    unique=True)
    op.create_index('uq_reply_template_owner_title', 'reply_template', ['owner_id', sa.text('lower(title)')],
                    unique=True)


def downgrade() -> None:
    op.drop_table('reply_template')
