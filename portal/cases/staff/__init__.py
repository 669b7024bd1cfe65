"""The staff side of cases: queues, the case view and its actions, the customer profile."""
