from sqlalchemy import text

from portal.db import make_engine


def test_sqlite_enforces_foreign_keys_and_uses_wal(sqlite_url):
    engine = make_engine(sqlite_url)
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    engine.dispose()


def test_a_case_cannot_point_at_a_missing_owner(session):
    import pytest
    from sqlalchemy.exc import IntegrityError

    from tests.factories import make_case

    case = make_case(session)
    session.commit()
    case.owner_id = 999_999
    with pytest.raises(IntegrityError):
        session.flush()
    session.rollback()
