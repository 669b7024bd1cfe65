"""What the ideas tests share: the mail settings every notice is rendered with."""

import pytest


@pytest.fixture(autouse=True)
def mail_settings():
    from portal.mail.outbox import configure
    from portal.mail.rendering import MailSettings

    configure(MailSettings("Riverside Rovers FC", "http://portal.test", "care@portal.test"))
