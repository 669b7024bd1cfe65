"""How an employee is named to a customer: "Sam from Catering".

Team names are used as written ("Catering", "Ticket Office"), never with "the" in front: "Sam from the
Catering" is wrong, and a team called "The Box Office" would read "from the The Box Office". One helper, so
the received page, the receipt, the timeline and every e-mail say it the same way.
"""

from __future__ import annotations


def name_from_team(name: str, team: str | None) -> str:
    """ "Sam from Catering"; "Sam from our team" for someone not in a team."""
    return f"{name} from {team.strip() if team and team.strip() else 'our team'}"
