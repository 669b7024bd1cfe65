"""Timeline entries written before the fix are reworded by migration 0025_time_words."""

from portal.cases.timeline import record
from portal.migrate import downgrade, upgrade
from tests.cases.staff.test_ownership import desk  # noqa: F401  (a fixture)

OLD = ("Your case is now looked after by Tom from the Ticket Office. Tom has read everything so far, "
       "so you will not need to explain again.")


def test_old_new_owner_entries_lose_the_stray_the(session, desk, db_url):  # noqa: F811
    session.commit()  # the fixture's case, so the migration can take the database
    downgrade(db_url, "0019_customer_email_lower")
    told = record(session, desk["case"], "owner_changed", public=True, body=OLD)
    reply = record(session, desk["case"], "reply", by=desk["maria"], public=True, body="Sorry from the whole team.")
    session.commit()
    upgrade(db_url)
    session.expire_all()
    assert told.body.startswith("Your case is now looked after by Tom from Ticket Office. Tom has read")
    assert reply.body == "Sorry from the whole team."
