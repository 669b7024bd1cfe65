"""Domain errors of administration: each message is written for the person who reads it."""

from __future__ import annotations


class StructureRefused(ValueError):
    """The change would leave the organisation inconsistent; the message says why."""


class StaffChangeRefused(ValueError):
    """The change to an employee cannot be made; the message says why."""


class ErasureRefused(ValueError):
    """The erasure cannot go ahead as asked; the message says why."""


class OrganisationRefused(ValueError):
    """The change cannot be made; the message says why."""


class MergeRefused(ValueError):
    """Two customer records cannot be merged as asked; the message says why."""
