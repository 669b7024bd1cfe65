"""Timeline entries already written read "Sam from Catering", not "Sam from the Catering".

The "new owner" entry keeps its words in the event's body, written when the case moved; new entries come from
portal.cases.naming.name_from_team. The words the old code wrote are rewritten in place; downgrading leaves them
(the old wording was a fault, not data worth restoring).

Revision ID: 0025_time_words
Revises: 0019_customer_email_lower
Create Date: 2026-12-02 05:35:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0025_time_words'
down_revision = '0019_customer_email_lower'
branch_labels = None
depends_on = None

OLD_OPENING = 'Your case is now looked after by % from the %'


def upgrade() -> None:
    event = sa.table('event', sa.column('kind', sa.String), sa.column('body', sa.Text))
    op.execute(
        event.update()
        .where(event.c.kind == 'owner_changed', event.c.body.like(OLD_OPENING))
        .values(body=sa.func.replace(event.c.body, ' from the ', ' from '))
    )


def downgrade() -> None:
    pass
