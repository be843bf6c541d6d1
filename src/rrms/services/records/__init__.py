"""Persons, families, documents and the overview of one person."""
