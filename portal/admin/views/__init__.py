"""Administration pages, one module per audience: staff (teams, categories, employees, the organisation, the
audit log, data requests, the outbox) and public (the organisation's logo, shown on every page)."""
