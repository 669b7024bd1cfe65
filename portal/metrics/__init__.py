"""Turnaround and ownership metrics, derived from the case timeline (no hand-kept counters)."""

# Registers the session listeners that keep each case's milestones row in step with its timeline.
from portal.metrics import summary as _summary  # noqa: F401
