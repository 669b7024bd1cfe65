"""One rule says when a case takes replies; the customer's and the staff's actions and the pages all ask it."""

import pytest

from portal.cases.customer_replies import CustomerActionRefused, add_customer_reply, withdraw_case
from portal.cases.models import CaseStatus
from portal.cases.replies import CaseActionRefused, reply
from tests.factories import make_case

ENDED = {CaseStatus.withdrawn, CaseStatus.closed}


@pytest.fixture(autouse=True)
def mail_settings():
    from portal.mail.outbox import configure
    from portal.mail.rendering import MailSettings

    configure(MailSettings("Riverside Rovers FC", "http://portal.test", "care@portal.test"))


@pytest.mark.parametrize("status", list(CaseStatus))
def test_a_withdrawn_or_closed_case_takes_no_reply_from_either_side(session, tmp_path, status):
    case = make_case(session, status=status)
    assert case.can_reply is (status not in ENDED)
    if status in ENDED:
        with pytest.raises(CustomerActionRefused):
            add_customer_reply(session, case, "Any news?", upload_dir=str(tmp_path))
        with pytest.raises(CaseActionRefused):
            reply(session, case, "Here is the news.", by=case.owner, seen_event_id=None, link_for=str)
        with pytest.raises(CustomerActionRefused):
            withdraw_case(session, case)
    else:
        add_customer_reply(session, case, "Any news?", upload_dir=str(tmp_path))
        reply(session, case, "Here is the news.", by=case.owner, seen_event_id=None, link_for=str)
