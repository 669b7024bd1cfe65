"""A demo focus group (the season-ticket holders among the demo customers) and an open survey of it."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.auth.models import Employee, Role
from portal.cases.models import Customer
from portal.db import utcnow
from portal.surveys.models import FocusGroup, Member


def load_groups_demo(session: Session) -> None:
    manager = session.scalar(select(Employee).where(Employee.role == Role.manager).order_by(Employee.id))
    group = FocusGroup(name="North Stand season-ticket holders 2026", created_by=manager,
                       description="Season-ticket holders we consult before changing match-day arrangements.")
    session.add(group)
    holders = session.scalars(select(Customer).where(Customer.membership == "Season-ticket holder")
                              .order_by(Customer.id).limit(40)).all()
    session.add_all(Member(group=group, email=c.email, name=c.name, membership_number=f"ST-{1000 + c.id}",
                           member_since=c.customer_since, customer_id=c.id) for c in holders)


BRIEFING = """## What we are trying to do
Every home match, about 11,000 of you arrive in the 45 minutes before kick-off. We want everyone in their seat
for kick-off, and home safely afterwards, **without raising ticket prices**.

## Our challenges
- The north gate handles a third of all arrivals, and queues there reached 25 minutes in October.
- The council will close the Mill Lane car park from August 2027.
- We can fund **one** of the options on the next page for the 2027 season (about £180,000).

We will publish what we decide, and why, on our "You said, we did" page."""

COMMENTS = [
    "The north gate queue is the worst part of the day; open more turnstiles before 2pm.",
    "Please keep some parking near the ground for older fans who cannot walk far.",
    "Trains after the match are packed. An extra service at 5.15 would make a big difference.",
    "Signs from the station are confusing for away fans and newcomers.",
    "Park and ride would work if the buses ran every ten minutes and until an hour after the match.",
    "The scanners at the north gate fail when it rains; fix those before anything else.",
    "I have been coming for 30 years and the queues have never been this bad.",
    "Cycle parking by the family stand would help; there is nowhere safe to leave a bike.",
    "Keep the supporters' coaches, they are the easiest way to get here from the villages.",
    "A text message when the gates open would spread arrivals out.",
]


def load_surveys_demo(session: Session, rng: random.Random) -> None:
    """An open survey of the demo group with answers already in, so results show from the first visit."""
    from portal.surveys import building, guidance
    from portal.surveys.answering import hash_key
    from portal.surveys.models import Answer, Invitation, QuestionKind, Response, Section, Survey, SurveyStatus
    from portal.surveys.results import summarise

    group = session.scalar(select(FocusGroup).order_by(FocusGroup.id))
    manager = group.created_by
    now = utcnow()
    survey = Survey(title="Match-day travel 2027: your guidance", briefing=BRIEFING, group=group,
                    created_by=manager, status=SurveyStatus.open, opened_at=now - timedelta(days=9),
                    created_at=now - timedelta(days=10), reminder_days=4)
    arriving = Section(position=1, title="Getting to the ground")
    deciding = Section(position=2, title="Your guidance", intro="Here are the options we can fund for 2027.")
    survey.sections.extend([arriving, deciding])
    session.add(survey)
    spec = building.QuestionSpec
    ease = building.add_question(session, survey, arriving, spec(
        QuestionKind.rating, "How easy is it to get to the ground on a match day?", scale_max=10,
        low_label="Very hard", high_label="Very easy"))
    travel = building.add_question(session, survey, arriving, spec(
        QuestionKind.single, "How do you usually travel to home matches?",
        options=building.parse_options("Car\nTrain\nSupporters' coach\nBus\nWalk or cycle")))
    hardest = building.add_question(session, survey, arriving, spec(
        QuestionKind.multiple, "What makes arriving hardest?", max_choices=3,
        hint="Think of your last few home matches.",
        options=building.parse_options("Queues at the north gate\nParking\nCrowded trains\nPoor signs\n"
                                       "Ticket scanners failing")))
    session.flush()
    option = building.add_question(session, survey, deciding, spec(
        QuestionKind.alternatives, "Which option should we fund for 2027?", options=building.parse_options(
            "Four more turnstiles at the north gate | Cuts the longest queue by about half; built in the summer.\n"
            "Park and ride from Riverside | 900 spaces, buses every 10 minutes from 2 hours before kick-off.\n"
            "Extra late train | A 17:15 service to the city, paid for with the rail company for one season.")))
    ranking = building.add_question(session, survey, deciding, spec(
        QuestionKind.ranking, "Rank these smaller improvements, most useful first",
        options=building.parse_options("Clearer signs from the station\nCycle parking\n"
                                       "Text alert when gates open\nMore stewards at the north gate")))
    parking = building.add_question(session, survey, deciding, spec(
        QuestionKind.text, "If parking moved to a park and ride, what would you need from it?", required=False,
        show_if_question_id=travel.id, show_if_option=0))
    comments = building.add_question(session, survey, deciding, spec(
        QuestionKind.text, "What else should we know before we decide?", required=False, long_text=True))
    session.flush()

    for index, member in enumerate(m for m in group.members if m.active):
        invitation = Invitation(survey=survey, member=member, nonce=f"demo{member.id:028d}",
                                token_hash=hash_key(f"demo-unsent-{member.id}"), sent_at=survey.opened_at)
        session.add(invitation)
        if index % 10 >= 7:
            continue  # three in ten have not started
        response = Response(survey_id=survey.id, invitation=invitation, last_page=2,
                            started_at=survey.opened_at + timedelta(hours=index * 5))
        response.updated_at = response.started_at + timedelta(minutes=rng.randint(4, 30))
        if index % 10 != 6:
            response.submitted_at = response.updated_at
        by_car = rng.random() < 0.45
        answers = [Answer(question_id=ease.id, number=rng.choice([2, 3, 4, 4, 5, 5, 6, 6, 7, 8])),
                   Answer(question_id=travel.id, choice=0 if by_car else rng.choice([1, 1, 2, 3, 4]))]
        hard = {rng.choice([0, 0, 1, 2]), rng.choice([0, 3, 4])}
        answers += [Answer(question_id=hardest.id, choice=c) for c in sorted(hard)]
        answers.append(Answer(question_id=option.id, choice=rng.choice([0, 0, 0, 1, 1, 2])))
        order = rng.sample(range(4), 4)
        answers += [Answer(question_id=ranking.id, choice=c, rank=order.index(c) + 1) for c in range(4)]
        if by_car and rng.random() < 0.7:
            answers.append(Answer(question_id=parking.id, text=rng.choice(COMMENTS[1:5:3])))
        if rng.random() < 0.6:
            answers.append(Answer(question_id=comments.id, text=COMMENTS[index % len(COMMENTS)],
                                  quoted=index in (0, 5)))
        response.answers.extend(answers)
        session.add(response)
    session.flush()
    result = next(r for r in summarise(session, survey, today=now.date()).questions if r.question is hardest)
    guidance.theme_from_question(session, survey, result, by=manager)


def demo_member_link(session: Session, secret_key: str, link_for: Callable[[str], str]) -> str | None:
    """A working personal link for a demo member who has not answered yet (demo invitations were never sent)."""
    from portal.surveys.answering import hash_key
    from portal.surveys.invitations import token_for
    from portal.surveys.models import Invitation, Response

    invitation = session.scalar(select(Invitation).outerjoin(Response, Response.invitation_id == Invitation.id)
                                .where(Response.id.is_(None)).order_by(Invitation.id))
    if invitation is None:
        return None
    token = token_for(secret_key, invitation)
    invitation.token_hash = hash_key(token)
    return link_for(token)
