"""Domain errors of the ideas box: each message is written for the person who reads it."""

from __future__ import annotations


class IdeaRefused(ValueError):
    """What was asked cannot be done to this idea; the message says why."""
