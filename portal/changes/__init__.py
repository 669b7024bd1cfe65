"""Themes of feedback and the public "You said, we did" pages that close the loop with every customer."""
