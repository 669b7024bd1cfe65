"""Survey pages, one module per audience: the customer's (answering a survey) and staff (building a survey,
its focus groups, its results)."""
