import pytest

from portal.remedies.settings import RemedySettings

SECRET = "test-secret-key-that-is-long-enough"


@pytest.fixture(autouse=True)
def mail_settings():
    from portal.mail.outbox import configure
    from portal.mail.rendering import MailSettings

    configure(MailSettings("Riverside Rovers FC", "http://portal.test", "care@portal.test"))


@pytest.fixture
def settings() -> RemedySettings:
    return RemedySettings(secret_key=SECRET)
