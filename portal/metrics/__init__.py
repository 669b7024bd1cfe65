"""Turnaround and ownership metrics, derived from the case timeline (no hand-kept counters)."""
