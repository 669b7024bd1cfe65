"""PostgreSQL: the words of a case's timeline (replies, notes, handoff notes) kept on the case itself, so the staff
search reads one table, newest first, with the employee's permission checked on the same row.

Until now each event carried its own ``search_vector``: a word in a few notes among millions of events meant
joining every match back to its case to see whether the employee may read it, tens of milliseconds at a million
cases. ``case.timeline_vector`` holds every body of the case's timeline, kept in step by a trigger on event (an
insert adds the new body's words; an edit, a removal or a move recomputes the case's words from its timeline), with
a GIN index; the event's own vector and index go. SQLite keeps its FTS5 table of events (migration 0023_search):
nothing changes there.

The column, the trigger and the index are the database's (``portal.cases.search.KEPT_BY_THE_DATABASE``).

Revision ID: 0027_case_timeline_search
Revises: 0026_customer_import
Create Date: 2026-12-03 08:00:00
"""
from alembic import op

from portal.cases.search_schema import POSTGRES_REBUILD_TIMELINE_WORDS, POSTGRES_TIMELINE_TRIGGER

revision = '0027_case_timeline_search'
down_revision = '0026_customer_import'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("""ALTER TABLE "case" ADD COLUMN timeline_vector tsvector NOT NULL DEFAULT ''::tsvector""")
    op.execute(POSTGRES_REBUILD_TIMELINE_WORDS)
    op.execute("""CREATE INDEX ix_case_timeline_vector ON "case" USING gin (timeline_vector)""")
    for statement in POSTGRES_TIMELINE_TRIGGER:
        op.execute(statement)
    op.execute("DROP INDEX IF EXISTS ix_event_search_vector")
    op.execute("ALTER TABLE event DROP COLUMN IF EXISTS search_vector")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE event ADD COLUMN search_vector tsvector "
               "GENERATED ALWAYS AS (to_tsvector('english', body)) STORED")
    op.execute("CREATE INDEX ix_event_search_vector ON event USING gin (search_vector)")
    op.execute("DROP TRIGGER IF EXISTS event_timeline_words ON event")
    op.execute("DROP FUNCTION IF EXISTS case_timeline_words()")
    op.execute("DROP INDEX IF EXISTS ix_case_timeline_vector")
    op.execute("""ALTER TABLE "case" DROP COLUMN timeline_vector""")
