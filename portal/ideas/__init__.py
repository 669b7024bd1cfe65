"""Employees' improvement ideas ("what is stopping us?") and the task forces formed around them."""
