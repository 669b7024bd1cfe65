from sqlalchemy import func, select

from portal.mail.attachments import OutboxAttachment
from portal.mail.privacy import erase_about_cases
from portal.privacy import ERASED_TEXT
from portal.remedies import privacy
from portal.remedies.choice import choose
from portal.remedies.fulfilment import fulfil, rate
from tests.factories import make_offer


def test_a_customers_remedy_words_are_exported_then_erased(session, settings):
    offer = make_offer(session)
    case = offer.case
    choose(session, offer, offer.remedies[0].id)
    fulfil(session, case, what_was_done="Refunded to Visa 4242.", by=case.owner, settings=settings)
    rate(session, offer, score=5, made_it_right=True, comment="Thanks, Jane from flat 3.")
    [exported] = privacy.export(session, case.customer)["remedies"]
    assert exported["rating"]["comment"] == "Thanks, Jane from flat 3."
    assert exported["what_was_done"] == "Refunded to Visa 4242."
    assert session.scalar(select(func.count()).select_from(OutboxAttachment)) == 1
    privacy.erase(session, case.customer)
    erase_about_cases(session, [case.id])
    session.expire_all()
    [after] = privacy.export(session, case.customer)["remedies"]
    assert after["rating"]["comment"] == ERASED_TEXT and after["what_was_done"] == ERASED_TEXT
    assert after["chosen"] == offer.remedies[0].description  # the offer stays for metrics
    assert session.scalar(select(func.count()).select_from(OutboxAttachment)) == 0  # the letter quoted them
