"""What the database keeps for the staff search: on SQLite (migration 0023_search) FTS5 external-content tables
over case, event and customer, the triggers that keep them in step, and the index of a phone number's last nine
digits; on PostgreSQL (0023_search, 0027_case_timeline_search) generated tsvector columns on case and customer and
the words of each case's timeline kept on the case by a trigger on event.

Here rather than in the migration alone because SQLite loses a table's triggers and expression indexes when a
migration *recreates* it (Alembic's batch mode does so to drop or alter a column): such a later migration of
case, event or customer calls ``sqlite_search_up(op)`` again after its batch block. Importing this loads nothing.
"""

from __future__ import annotations

from typing import Any

# What each table offers to the search, in the order of the FTS5 columns (SQLite), and the weights of those
# columns in the table's rank (bm25): a reference and booking reference weigh most, then what happened.
SQLITE_FTS = {
    "case_fts": ("case", ("reference", "booking_reference", "what_happened", "make_it_right", "better_in_future"),
                 "porter unicode61 remove_diacritics 2", "bm25(8.0, 8.0, 2.0, 1.0, 1.0)"),
    "event_fts": ("event", ("body",), "porter unicode61 remove_diacritics 2", "bm25()"),
    "customer_fts": ("customer", ("name", "email", "phone"), "unicode61 remove_diacritics 2", "bm25(4.0, 2.0, 1.0)"),
}

# The last nine digits of a phone number, whatever its spaces, "+", dashes, dots or brackets: "07700 900123" and
# "+44 7700 900123" share "700900123". customers.matching_customers compares the same expression (its index).
SQLITE_PHONE_KEY = ("substr(replace(replace(replace(replace(replace(replace(phone, ' ', ''), '+', ''), '-', ''), "
                    "'(', ''), ')', ''), '.', ''), -9)")
POSTGRES_PHONE_KEY = "right(regexp_replace(phone, '[^0-9]', '', 'g'), 9)"

PHONE_KEY = {"sqlite": SQLITE_PHONE_KEY, "postgresql": POSTGRES_PHONE_KEY}


def _q(name: str) -> str:
    return f'"{name}"'


def sqlite_search_up(operations: Any) -> None:
    """The FTS5 tables, their triggers and the phone index on SQLite, filled from the rows already there;
    ``operations`` is Alembic's ``op`` (anything with ``execute(sql)``). Safe to run again."""
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


def sqlite_search_down(operations: Any) -> None:
    operations.execute("DROP INDEX IF EXISTS ix_customer_phone_key")
    for fts in SQLITE_FTS:
        for suffix in ("ai", "ad", "au"):
            operations.execute(f"DROP TRIGGER IF EXISTS {fts}_{suffix}")
        operations.execute(f"DROP TABLE IF EXISTS {fts}")


# PostgreSQL: a case's timeline words, from every body of its timeline in order (migration 0027). The same
# expression fills the column for the rows already there and recomputes one case's words after an edit.
_TIMELINE_WORDS = "to_tsvector('english', coalesce(string_agg(body, ' ' ORDER BY id), ''))"

POSTGRES_TIMELINE_TRIGGER = (
    f"""CREATE OR REPLACE FUNCTION case_timeline_words() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        -- The common case, adding a reply or a note: its words join the case's, without reading the timeline.
        IF NEW.body <> '' THEN
          UPDATE "case" SET timeline_vector = timeline_vector || to_tsvector('english', NEW.body)
           WHERE id = NEW.case_id;
        END IF;
        RETURN NULL;
      END IF;
      -- An edit (a draft reworded), a removal or a move: the words again from what the timeline now holds.
      UPDATE "case" SET timeline_vector = (SELECT {_TIMELINE_WORDS} FROM event
                                            WHERE case_id = OLD.case_id AND body <> '')
       WHERE id = OLD.case_id;
      IF TG_OP = 'UPDATE' AND NEW.case_id <> OLD.case_id THEN
        UPDATE "case" SET timeline_vector = (SELECT {_TIMELINE_WORDS} FROM event
                                              WHERE case_id = NEW.case_id AND body <> '')
         WHERE id = NEW.case_id;
      END IF;
      RETURN NULL;
    END $$""",
    "DROP TRIGGER IF EXISTS event_timeline_words ON event",
    "CREATE TRIGGER event_timeline_words AFTER INSERT OR DELETE OR UPDATE OF body, case_id ON event "
    "FOR EACH ROW EXECUTE FUNCTION case_timeline_words()",
)


# Every case's timeline words from its events, in one statement: after the migration adds the column, and after a
# bulk load that went around the trigger (the benchmark's data set).
POSTGRES_REBUILD_TIMELINE_WORDS = f"""UPDATE "case" SET timeline_vector = words.vector FROM (
    SELECT case_id, {_TIMELINE_WORDS} AS vector FROM event WHERE body <> '' GROUP BY case_id
) AS words WHERE words.case_id = "case".id"""
