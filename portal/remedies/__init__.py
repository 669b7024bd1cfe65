"""Remedies: the catalogue, offers of two or three options, authority and approvals, the customer's choice,
fulfilment, the "did we make it right?" rating and the resolution letter."""
