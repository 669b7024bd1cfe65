"""A customer may have no e-mail address: a caller or a visitor to the counter who gives only a phone number.

Revision ID: 0022a_customer_email_optional
Revises: 0022_channels_and_intake
Create Date: 2026-12-02 16:25:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0022a_customer_email_optional'
down_revision = '0022_channels_and_intake'
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
    with _customer_batch() as batch_op:
        batch_op.alter_column('email', existing_type=sa.String(length=254), nullable=True)
    _index_again()


def downgrade() -> None:
    # Before addresses were optional every customer had one: a stand-in nobody can receive at.
    op.execute("UPDATE customer SET email = 'no-address-' || id || '@no-address.invalid' WHERE email IS NULL")
    with _customer_batch() as batch_op:
        batch_op.alter_column('email', existing_type=sa.String(length=254), nullable=False)
    _index_again()
