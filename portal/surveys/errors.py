"""Domain errors of focus groups and surveys: each message is written for the person who reads it."""

from __future__ import annotations


class AnswerRefused(ValueError):
    """The survey is not taking answers (closed or not yet open); the message says so."""


class GroupRefused(ValueError):
    """The group or its members cannot be saved as asked; the message says why."""


class InvitationRefused(ValueError):
    """Invitations or reminders cannot go out now; the message says why."""


class SurveyRefused(ValueError):
    """The survey cannot be changed as asked; the message says why and what to do instead."""
