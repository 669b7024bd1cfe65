"""Ideas pages, by audience: staff (the ideas box, ideas, task forces)."""
