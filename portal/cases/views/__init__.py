"""Case pages, one module per audience: the customer's (telling us, following a case by private link or account,
e-mail preferences) and the staff workspace (queues, the case view and its actions, the customer profile)."""
