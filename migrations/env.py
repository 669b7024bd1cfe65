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
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
            include_object=include_object,  # the search's FTS tables and tsvector columns are the database's
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations()
