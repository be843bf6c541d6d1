"""Plain-Python domain values (partial dates, money), rules (eligibility, caps, status
transitions, date order) and the one vocabulary: no I/O, no frameworks."""
