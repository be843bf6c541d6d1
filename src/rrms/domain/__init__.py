"""Plain-Python domain values (partial dates, places, money) and rules (eligibility,
caps, status transitions, date order): no I/O, no frameworks."""
