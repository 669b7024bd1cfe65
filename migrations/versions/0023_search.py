"""One search box for staff: the databases' own full-text indexes over cases, their timelines and customers, and
a customer's phone number found by its digits; every index is kept in step by the database and built for the rows
already there.

PostgreSQL: a stored generated ``search_vector`` (tsvector) on case, event and customer, each with a GIN index
(adding a generated column computes it for every existing row). SQLite: FTS5 external-content tables
``case_fts``, ``event_fts`` and ``customer_fts`` kept by triggers, rebuilt from the existing rows here.

The names are listed in ``portal.cases.search.KEPT_BY_THE_DATABASE`` so that the model-drift check and
autogenerate leave them alone. A later SQLite migration that *recreates* case, event or customer (batch mode with
a column dropped or altered) drops their triggers with the old table: it must call
``portal.cases.search_schema.sqlite_search_up(op)`` again.

Revision ID: 0023_search
Revises: 0022a_customer_email_optional
Create Date: 2026-12-02 16:20:00
"""
from alembic import op

from portal.cases.search_schema import POSTGRES_PHONE_KEY, sqlite_search_down, sqlite_search_up


revision = '0023_search'
down_revision = '0022a_customer_email_optional'
branch_labels = None
depends_on = None

POSTGRES_VECTORS = {
    # A reference and booking reference weigh most, then what happened, then the rest of the customer's words.
    "case": "setweight(to_tsvector('simple', reference || ' ' || booking_reference), 'A') || "
            "setweight(to_tsvector('english', what_happened), 'B') || "
            "setweight(to_tsvector('english', make_it_right || ' ' || better_in_future), 'C')",
    "event": "to_tsvector('english', body)",
    # An address is also split at @ and dots, so "fans" or "olivia" find olivia@fans.example.
    "customer": "to_tsvector('simple', name || ' ' || coalesce(email, '') || ' ' || "
                "translate(coalesce(email, ''), '@._-+', '     ') || ' ' || coalesce(phone, ''))",
}


def _q(name: str) -> str:
    return f'"{name}"'


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        sqlite_search_up(op)
        return
    for table, vector in POSTGRES_VECTORS.items():
        op.execute(f"ALTER TABLE {_q(table)} ADD COLUMN search_vector tsvector "
                   f"GENERATED ALWAYS AS ({vector}) STORED")
        op.execute(f"CREATE INDEX ix_{table}_search_vector ON {_q(table)} USING gin (search_vector)")
    op.execute(f"CREATE INDEX ix_customer_phone_key ON customer (({POSTGRES_PHONE_KEY}))")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        sqlite_search_down(op)
        return
    op.execute("DROP INDEX IF EXISTS ix_customer_phone_key")
    for table in POSTGRES_VECTORS:
        op.execute(f"DROP INDEX IF EXISTS ix_{table}_search_vector")
        op.execute(f"ALTER TABLE {_q(table)} DROP COLUMN search_vector")
