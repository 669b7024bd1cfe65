from sqlalchemy import func, select

from portal.mail.attachments import OutboxAttachment
from portal.remedies.choice import choose
from portal.remedies.fulfilment import fulfil, rate
from portal.remedies.privacy import erase_remedy_text, export_remedies
from tests.factories import make_offer


def test_a_customers_remedy_words_are_exported_then_erased(session, settings):
    offer = make_offer(session)
    case = offer.case
    choose(session, offer, offer.remedies[0].id)
    fulfil(session, case, what_was_done="Refunded to Visa 4242.", by=case.owner, settings=settings)
    rate(session, offer, score=5, made_it_right=True, comment="Thanks, Jane from flat 3.")
    [exported] = export_remedies(session, [case.id])
    assert exported["rating"]["comment"] == "Thanks, Jane from flat 3."
    assert exported["what_was_done"] == "Refunded to Visa 4242."
    assert session.scalar(select(func.count()).select_from(OutboxAttachment)) == 1
    erase_remedy_text(session, [case.id], "[erased]")
    session.expire_all()
    [after] = export_remedies(session, [case.id])
    assert after["rating"]["comment"] == "[erased]" and after["what_was_done"] == "[erased]"
    assert after["chosen"] == offer.remedies[0].description  # the offer stays for metrics
    assert session.scalar(select(func.count()).select_from(OutboxAttachment)) == 0
