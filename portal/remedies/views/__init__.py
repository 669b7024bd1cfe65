"""Remedy pages, one module per audience: staff (composer, approvals, catalogue, fulfilment, letter) and the
customer (through the signed link in the offer e-mail: choice, rating, letter)."""
