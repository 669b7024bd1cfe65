"""Pages of themes and changes, one module per audience: staff (managers' themes and changes) and public (the
"You said, we did" pages)."""
