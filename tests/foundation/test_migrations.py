from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from portal.cases.search import include_object
from portal.db import Base, make_engine
from portal.migrate import downgrade, upgrade


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        # The search's FTS5 tables (SQLite) are kept by the database, not by the models.
        names = set(inspect(engine).get_table_names()) - {"alembic_version"}
        return {name for name in names if include_object(None, name, "table", True, None)}
    finally:
        engine.dispose()


def test_migrations_go_down_to_nothing_and_up_again(db_url):
    assert _tables(db_url) == set(Base.metadata.tables)
    downgrade(db_url, "base")
    assert _tables(db_url) == set()
    upgrade(db_url)
    assert _tables(db_url) == set(Base.metadata.tables)


def test_models_and_migrations_do_not_drift(db_url):
    engine = make_engine(db_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "include_object": include_object})
        differences = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert differences == [], f"models differ from migrations; add a migration: {differences}"


def test_the_index_on_lower_email_survives_every_rebuild_of_the_customer_table(db_url):
    # SQLite rebuilds a table for most changes, and a rebuild silently drops an expression index (it cannot be
    # reflected, so the drift check above cannot see it): customers would then be found by a full scan.
    engine = make_engine(db_url)
    try:
        names = {index["name"] for index in inspect(engine).get_indexes("customer")}
        if engine.dialect.name == "sqlite":
            with engine.connect() as connection:
                names |= {row[0] for row in connection.exec_driver_sql(
                    "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'customer'")}
    finally:
        engine.dispose()
    assert "ix_customer_email_lower" in names
