"""Plain-Python domain values (partial dates, places, money): no I/O, no frameworks."""
