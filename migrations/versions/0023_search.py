"""One search box for staff: the databases' own full-text indexes over cases, their timelines and customers, and
a customer's phone number found by its digits; every index is kept in step by the database and built for the rows
already there.

PostgreSQL: a stored generated ``search_vector`` (tsvector) on case, event and customer, each with a GIN index
(adding a generated column computes it for every existing row). SQLite: FTS5 external-content tables
``case_fts``, ``event_fts`` and ``customer_fts`` kept by triggers, rebuilt from the existing rows here.

The names are listed in ``portal.cases.search.KEPT_BY_THE_DATABASE`` so that the model-drift check and
autogenerate leave them alone. A later SQLite migration that *recreates* case, event or customer (batch mode with
a column dropped or altered) drops their triggers with the old table: it must call ``sqlite_search_up(op)`` again.

Revision ID: 0023_search
Revises: 0022_channels_and_intake
Create Date: 2026-12-02 16:20:00
"""
from alembic import op


revision = '0023_search'
down_revision = '0022_channels_and_intake'
branch_labels = None
depends_on = None

# What each table offers to the search, in the order of the FTS5 columns (SQLite), and the weights of those
# columns in the table's rank (bm25): a reference and booking reference weigh most, then what happened.
SQLITE_FTS = {
    "case_fts": ("case", ("reference", "booking_reference", "what_happened", "make_it_right", "better_in_future"),
                 "porter unicode61 remove_diacritics 2", "bm25(8.0, 8.0, 2.0, 1.0, 1.0)"),
    "event_fts": ("event", ("body",), "porter unicode61 remove_diacritics 2", "bm25()"),
    "customer_fts": ("customer", ("name", "email", "phone"), "unicode61 remove_diacritics 2", "bm25(4.0, 2.0, 1.0)"),
}

# The last nine digits of a phone number, whatever its spaces, "+", dashes, dots or brackets: "07700 900123" and
# "+44 7700 900123" share "700900123". The same expression is in portal.cases.search (the index serves it).
SQLITE_PHONE_KEY = ("substr(replace(replace(replace(replace(replace(replace(phone, ' ', ''), '+', ''), '-', ''), "
                    "'(', ''), ')', ''), '.', ''), -9)")
POSTGRES_PHONE_KEY = "right(regexp_replace(phone, '[^0-9]', '', 'g'), 9)"

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


def sqlite_search_up(operations=op) -> None:
    """The FTS5 tables, their triggers and the phone index on SQLite, filled from the rows already there."""
    for fts, (table, columns, tokenizer, rank) in SQLITE_FTS.items():
        cols = ", ".join(columns)
        new = ", ".join(f"new.{c}" for c in columns)
        old = ", ".join(f"old.{c}" for c in columns)
        operations.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5({cols}, content='{table}', "
                           f"content_rowid='id', tokenize='{tokenizer}')")
        operations.execute(f"DROP TRIGGER IF EXISTS {fts}_ai")
        operations.execute(f"DROP TRIGGER IF EXISTS {fts}_ad")
        operations.execute(f"DROP TRIGGER IF EXISTS {fts}_au")
        operations.execute(f"CREATE TRIGGER {fts}_ai AFTER INSERT ON {_q(table)} BEGIN "
                           f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new}); END")
        operations.execute(f"CREATE TRIGGER {fts}_ad AFTER DELETE ON {_q(table)} BEGIN "
                           f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old}); END")
        operations.execute(f"CREATE TRIGGER {fts}_au AFTER UPDATE OF {cols} ON {_q(table)} BEGIN "
                           f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old}); "
                           f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new}); END")
        operations.execute(f"INSERT INTO {fts}({fts}, rank) VALUES ('rank', '{rank}')")
        operations.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")
    operations.execute(f"CREATE INDEX IF NOT EXISTS ix_customer_phone_key ON customer ({SQLITE_PHONE_KEY})")


def sqlite_search_down(operations=op) -> None:
    operations.execute("DROP INDEX IF EXISTS ix_customer_phone_key")
    for fts in SQLITE_FTS:
        for suffix in ("ai", "ad", "au"):
            operations.execute(f"DROP TRIGGER IF EXISTS {fts}_{suffix}")
        operations.execute(f"DROP TABLE IF EXISTS {fts}")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        sqlite_search_up()
        return
    for table, vector in POSTGRES_VECTORS.items():
        op.execute(f"ALTER TABLE {_q(table)} ADD COLUMN search_vector tsvector "
                   f"GENERATED ALWAYS AS ({vector}) STORED")
        op.execute(f"CREATE INDEX ix_{table}_search_vector ON {_q(table)} USING gin (search_vector)")
    op.execute(f"CREATE INDEX ix_customer_phone_key ON customer (({POSTGRES_PHONE_KEY}))")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        sqlite_search_down()
        return
    op.execute("DROP INDEX IF EXISTS ix_customer_phone_key")
    for table in POSTGRES_VECTORS:
        op.execute(f"DROP INDEX IF EXISTS ix_{table}_search_vector")
        op.execute(f"ALTER TABLE {_q(table)} DROP COLUMN search_vector")
