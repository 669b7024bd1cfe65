"""Domain errors of themes and changes: each message is written for the person who reads it."""

from __future__ import annotations


class ThemeRefused(ValueError):
    """The change to a theme cannot be made; the message says why."""


class ChangeRefused(ValueError):
    """The change cannot be saved or published as it is; the message says why."""
