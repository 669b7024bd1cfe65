"""Every kind of timeline event reads as words, to staff and (when public) to the customer."""

import re
from pathlib import Path

from portal.cases import event_words
from portal.cases.lifecycle import TRANSITIONS
from portal.cases.models import EventKind
from portal.cases.timeline import record
from tests.factories import NOTE, sign_in

PORTAL = Path(__file__).resolve().parents[3] / "portal"


def _recorded_kinds() -> tuple[set[str], set[str]]:
    """Every kind of event the code records, and those it records as public: read from the source for direct
    records, and from the lifecycle's table for status changes."""
    kinds, public = set(), set()
    for path in PORTAL.rglob("*.py"):
        for call in re.finditer(r'record\(\s*\w+,\s*[\w.]+,\s*EventKind\.(\w+)[^)]*', path.read_text()):
            kinds.add(call.group(1))
            if "public=True" in call.group(0):
                public.add(call.group(1))
    for transition in TRANSITIONS.values():
        kinds.add(transition.kind.value)
        if transition.public:
            public.add(transition.kind.value)
    return kinds, public


def test_every_kind_of_event_recorded_has_staff_wording_and_public_ones_customer_wording():
    kinds, public = _recorded_kinds()
    assert {"rated", "offer_proposed", "remedy_fulfilled", "withdrawn"} <= kinds  # the reading finds them
    assert kinds == {kind.value for kind in EventKind}  # and nothing is recorded that the enum does not name
    assert kinds - event_words.STAFF.keys() == set()
    assert public - event_words.CUSTOMER.keys() == set()


def test_the_staff_timeline_reads_as_words_with_the_rating_and_no_stray_dot(client, club, db_session):  # noqa: F811
    case = club["case"]
    record(db_session, case, "offer_proposed", by=club["maria"], detail={"offer": 1})
    record(db_session, case, "remedy_fulfilled", by=club["maria"], public=True, body="Refunded.")
    record(db_session, case, "rated", by_customer=True, public=True, body="Quick, thanks.",
           detail={"offer": 1, "score": 4, "made_it_right": True})
    db_session.commit()
    sign_in(client, "maria")
    page = client.get(f"/staff/cases/{case.reference}").get_data(as_text=True)
    titles = re.findall(r'<p class="entry__head">(.*?)</p>', page, re.S)  # the conversation's entries
    text = " | ".join(re.sub(r"<[^>]+>", "", t) for t in titles)
    assert "James rated it 4 out of 5 and said we made it right" in text
    assert "Maria Lopez proposed an offer for a manager to approve" in text
    assert "Maria Lopez marked the chosen remedy done" in text
    assert ": rated" not in text and "offer proposed" not in text and "remedy fulfilled" not in text
    assert not any(re.search(r"·\s*<time", t) for t in titles)


def test_the_previous_owner_is_not_told_the_case_was_handed_to_them(client, club):  # noqa: F811
    sign_in(client, "maria")
    reference = club["case"].reference
    client.post(f"/staff/cases/{reference}/handoff",
                data={"new_owner": club["tom"].id, "reason": "specialist", "note": NOTE})
    mine_no_more = client.get(f"/staff/cases/{reference}").get_data(as_text=True)
    assert "Handed to you" not in mine_no_more and "Handed to Tom Fletcher <time" in mine_no_more
    client.post("/staff/sign-out")
    sign_in(client, "tom")
    assert "Handed to you <time" in client.get(f"/staff/cases/{reference}").get_data(as_text=True)
