"""Engine, declarative Base and the one-session-per-request (or per command) scope."""

from __future__ import annotations

import enum
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, Engine, MetaData, create_engine, event
from sqlalchemy import Enum as SAEnum
from sqlalchemy.orm import DeclarativeBase, Session, scoped_session, sessionmaker
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every database (SQLite forgets the zone otherwise)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware UTC datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    # Enums are stored as plain strings so a new value needs no ALTER TYPE.
    type_annotation_map = {
        datetime: UTCDateTime,
        enum.Enum: SAEnum(enum.Enum, native_enum=False, length=32, values_callable=lambda e: [m.value for m in e]),
    }


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for ``url``; SQLite gets foreign keys, WAL and a busy timeout."""
    if url.startswith("sqlite"):
        kwargs.setdefault("connect_args", {"timeout": 30})
    else:
        kwargs.setdefault("pool_pre_ping", True)
    engine = create_engine(url, **kwargs)
    event.listen(engine, "begin", _transaction_begins)
    event.listen(engine, "before_cursor_execute", _note_writes)
    if engine.dialect.name == "sqlite":
        if engine.url.database and engine.url.database != ":memory:":
            Path(engine.url.database).parent.mkdir(parents=True, exist_ok=True)
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


# Whether the connection's current transaction sent anything but a query (see Database.remove). A statement
# that is not plainly a SELECT counts as a write, so a doubt always ends in the old ROLLBACK.
_WROTE = "portal_wrote"
_DML = re.compile(r"\b(?:INSERT|UPDATE|DELETE|MERGE)\b", re.IGNORECASE)


def _transaction_begins(conn: Any) -> None:
    conn.info.pop(_WROTE, None)


def _note_writes(conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
    head = statement.lstrip()[:6].upper()
    if not (head == "SELECT" or (head.startswith("WITH") and not _DML.search(statement))):
        conn.info[_WROTE] = True


class Database:
    """Holds the engine and a scoped session; the app removes the session after each request."""

    def __init__(self) -> None:
        self.engine: Engine | None = None
        self.session: scoped_session[Session] = scoped_session(sessionmaker(expire_on_commit=False))

    def configure(self, url: str, **engine_kwargs: Any) -> None:
        if self.engine is not None:
            self.session.remove()
            self.engine.dispose()
        self.engine = make_engine(url, **engine_kwargs)
        self.session.configure(bind=self.engine)

    def remove(self, exc: BaseException | None = None) -> None:
        """End the request's (or command's) session. A transaction that only read is ended with COMMIT, which for
        it is the same as ROLLBACK, because psycopg forgets its prepared statements on every ROLLBACK: ending
        each page view with one made PostgreSQL plan every query of every request again (about 1 ms each)."""
        if exc is None and self.session.registry.has():
            session = self.session()
            transaction = session.get_transaction()
            if transaction is not None and transaction.is_active and not (
                    session.new or session.dirty or session.deleted) and not session.connection().info.get(_WROTE):
                session.commit()
        self.session.remove()


db = Database()
