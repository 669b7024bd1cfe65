"""Administration: teams, categories, employees, the organisation, and the audit log of every change."""
