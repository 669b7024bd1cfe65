"""Alembic environment: the URL comes from the caller (portal.migrate) or DATABASE_URL."""

from alembic import context

from portal.cases.search import include_object
from portal.config import Settings
from portal.db import make_engine
from portal.models import Base

config = context.config
url = config.get_main_option("sqlalchemy.url") or Settings.from_env().DATABASE_URL


def run_migrations() -> None:
    engine = make_engine(url)
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # SQLite changes a table by rebuilding it (copy, drop, rename). With foreign keys on, dropping a table
            # that other rows refer to fails, so a migration of a table with data (customer, case) could not run:
            # off for the migration (it takes effect only outside a transaction), and every reference checked after.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
            include_object=include_object,  # the search's FTS tables and tsvector columns are the database's
        )
        with context.begin_transaction():
            context.run_migrations()
        if sqlite:
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            connection.commit()
            if broken:
                raise RuntimeError(f"the migration left rows referring to nothing: {broken[:5]}")
    engine.dispose()


run_migrations()
