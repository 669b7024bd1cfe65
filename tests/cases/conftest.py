"""What the cases tests share: mail settings, a category with someone to own its cases, a filled-in form."""

import re

import pytest

from tests.factories import make_category, make_employee, make_team


@pytest.fixture(autouse=True)
def mail_settings():
    from portal.mail.outbox import configure
    from portal.mail.rendering import MailSettings

    configure(MailSettings("Riverside Rovers FC", "http://portal.test", "care@portal.test"))


@pytest.fixture
def category(db_session):
    team = make_team(db_session, "Ticket Office")
    make_employee(db_session, name="Maria Lopez", team=team)
    category = make_category(db_session, team=team, name="Tickets")
    db_session.commit()
    return category


def form_data(category, **changes):
    data = {"name": "James Smith", "email": "james@fans.example", "category_id": str(category.id),
            "what_happened": "My card would not scan.", "make_it_right": "Refund the match.",
            "preferred_contact": "email", "consent_to_contact": "y"}
    data.update(changes)
    return data


def private_link(outbox) -> str:
    text = outbox()[-1].get_body(("plain",)).get_content()
    return re.search(r"http://127\.0\.0\.1:5000(/my-case/\S+)", text).group(1)
