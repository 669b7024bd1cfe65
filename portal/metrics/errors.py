"""Domain errors of metrics: each message is written for the person who reads it."""

from __future__ import annotations


class PeriodRefused(ValueError):
    """The dates asked for do not make a period; the message says why."""
