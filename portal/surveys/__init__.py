"""Focus groups of long-standing customers, consulted through surveys before decisions are made."""
