"""Metrics pages, by audience: staff (managers' dashboard, its drill-downs, CSV and the monthly PDF)."""
