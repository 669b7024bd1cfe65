"""Sign-in pages, by audience: staff (signing in and out, resetting and setting a password). Customers' sign-in
lives with their cases (portal.cases.views.customer)."""
