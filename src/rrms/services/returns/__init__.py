"""Arrivals: one return per arrival, and the import of a returns register."""
