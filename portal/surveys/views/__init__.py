"""The surveys' pages: focus groups, building a survey, answering it, and its results."""
