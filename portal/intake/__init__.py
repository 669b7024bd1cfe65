"""Logging a contact: an employee turns a call, a visit, a letter or a message into a case (and may put it right
there and then). The page joins the cases capability (the filing) and remedies (the remedy given at once)."""
