import pytest

from tests.mail.fake_sendgrid import FakeSendGrid


@pytest.fixture
def fake_sendgrid():
    with FakeSendGrid() as fake:
        yield fake


@pytest.fixture(autouse=True)
def mail_settings():
    from portal.mail.outbox import configure
    from portal.mail.rendering import MailSettings

    configure(MailSettings("Riverside Rovers FC", "http://portal.test", "care@portal.test",
                           secret_key="test-secret-key-that-is-long-enough", inbound_domain="reply.portal.test"))
